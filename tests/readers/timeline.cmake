# The timeline (analyzer/sv_timeline.c) and its exports
# (reports/export_timeline.c): synthetic events for order, skew, phases
# and caps; the incident sample end to end through sv_pipeline_run.
add_executable(test_timeline test_timeline.c)
target_link_libraries(test_timeline PRIVATE salvage_core PkgConfig::CHECK)
target_compile_definitions(test_timeline PRIVATE
  SV_SAMPLES="${PROJECT_SOURCE_DIR}/samples")
add_test(NAME timeline COMMAND test_timeline)
set_tests_properties(timeline PROPERTIES TIMEOUT 300)
