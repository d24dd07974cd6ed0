# Processes across snapshots (analyzer/sv_procs.c, sv_procs_build.c,
# sv_procs_event.c): test_procs runs synthetic proc records (pid reuse,
# exec, setuid, caps, exits, re-parenting, containers, any order, caps
# and NOMEM); test_procs_samples runs both samples end to end through
# sv_pipeline_run. Both share the property checks of procs_check.c.
foreach(t procs procs_samples)
  add_executable(test_${t} test_${t}.c procs_check.c)
  target_link_libraries(test_${t} PRIVATE salvage_core PkgConfig::CHECK)
  target_compile_definitions(test_${t} PRIVATE
    SV_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_test(NAME ${t} COMMAND test_${t})
  set_tests_properties(${t} PROPERTIES TIMEOUT 300)
endforeach()
