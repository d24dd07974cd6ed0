# Built-in detections (models/sv_rules.c): each rule on the incident
# sample made from real podman containers, silence on the clean sample.
add_executable(test_rules test_rules.c)
target_link_libraries(test_rules PRIVATE salvage_core PkgConfig::CHECK)
target_compile_definitions(test_rules PRIVATE
  SV_SAMPLES="${PROJECT_SOURCE_DIR}/samples")
add_test(NAME rules COMMAND test_rules)
set_tests_properties(rules PROPERTIES TIMEOUT 300)
