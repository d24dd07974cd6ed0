# Features per container (analyzer/sv_featurize.c, models/sv_features.c):
# names, clean text, workload rules and keys (hostile names included),
# windows and DNS features on a real capture with owners set by hand
# (checked against tshark), a hostile clock, and end to end on the
# podman samples through sv_pipeline_run.
add_executable(test_features test_features.c)
target_link_libraries(test_features PRIVATE salvage_core PkgConfig::CHECK)
target_compile_definitions(test_features PRIVATE
  SV_READER_DATA="${SV_READER_DATA}"
  SV_SAMPLES="${PROJECT_SOURCE_DIR}/samples")
add_test(NAME features COMMAND test_features)
set_tests_properties(features PROPERTIES TIMEOUT 300)
