# cgroup readers, container identity and the kernel log:
# formats/fmt_cgroup.c, formats/sv_cgroup_id.c, formats/fmt_dmesg.c.
# One executable per suite sharing the harness kt_harness.c; data in
# data/cgroup and data/dmesg (origins in data/SOURCES.md).
set(SV_KT_SUITES cgroup cgroup_id dmesg)

foreach(s ${SV_KT_SUITES})
  add_executable(test_${s} test_${s}.c kt_harness.c)
  target_include_directories(test_${s} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(test_${s} PRIVATE sv_testbundle salvage_core
    PkgConfig::CHECK)
  target_compile_definitions(test_${s} PRIVATE
    SV_KT_DATA="${SV_READER_DATA}")
  add_test(NAME ${s} COMMAND test_${s})
  set_tests_properties(${s} PROPERTIES TIMEOUT 120)
endforeach()
