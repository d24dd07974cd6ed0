# Lifecycle log readers: formats/fmt_{docker_events,podman_events,
# runtime_log,k8s_audit,k8s_events,journal,inspect}.c. One executable per
# suite sharing the harness lifecycle_test.c; data in data/lifecycle (see
# data/SOURCES.md). Run them with: ctest -R lifecycle
set(SV_LIFECYCLE_SUITES lifecycle_events lifecycle_runtime lifecycle_k8s
  lifecycle_host)

foreach(s ${SV_LIFECYCLE_SUITES})
  add_executable(test_${s} test_${s}.c lifecycle_test.c)
  target_include_directories(test_${s} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(test_${s} PRIVATE sv_testbundle salvage_core
    PkgConfig::CHECK)
  target_compile_definitions(test_${s} PRIVATE
    SV_LIFECYCLE_DATA="${SV_READER_DATA}/lifecycle")
  add_test(NAME ${s} COMMAND test_${s})
  set_tests_properties(${s} PROPERTIES TIMEOUT 120)
endforeach()
