# /proc snapshot readers: formats/fmt_proc_{host,stat,status,text,links,
# net}.c and their helpers formats/sv_proc.c. One executable per suite,
# sharing the harness proc_test.c; data in data/proc (see data/SOURCES.md).
set(SV_PROC_SUITES proc_host proc_pid proc_files proc_net)

foreach(s ${SV_PROC_SUITES})
  add_executable(test_${s} test_${s}.c proc_test.c)
  target_include_directories(test_${s} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(test_${s} PRIVATE sv_testbundle salvage_core
    PkgConfig::CHECK)
  target_compile_definitions(test_${s} PRIVATE
    SV_PROC_DATA="${SV_READER_DATA}/proc")
  add_test(NAME ${s} COMMAND test_${s})
  set_tests_properties(${s} PROPERTIES TIMEOUT 120)
endforeach()
