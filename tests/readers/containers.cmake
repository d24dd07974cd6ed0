# Containers joined from every source (analyzer/sv_containers*.c):
# synthetic records for each join rule, then both samples end to end
# through sv_pipeline_run (samples/web-incident.tar.zst, web-clean).
add_executable(test_containers test_containers.c)
target_link_libraries(test_containers PRIVATE salvage_core PkgConfig::CHECK)
add_test(NAME containers COMMAND test_containers)
set_tests_properties(containers PROPERTIES TIMEOUT 300)

add_executable(test_containers_samples test_containers_samples.c)
target_link_libraries(test_containers_samples PRIVATE salvage_core
  PkgConfig::CHECK)
target_compile_definitions(test_containers_samples PRIVATE
  SV_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_test(NAME containers_samples COMMAND test_containers_samples)
set_tests_properties(containers_samples PROPERTIES TIMEOUT 300)
