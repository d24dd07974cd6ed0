# Resource series (analyzer/sv_resources.c, sv_resources_build.c):
# test_resources feeds synthetic cgroup v1/v2 values; test_resources_real
# runs real cgroup v2 files of data/cgroup/corpus in a generated bundle and
# samples/web-incident.tar.zst through sv_pipeline_run.
add_executable(test_resources test_resources.c)
target_link_libraries(test_resources PRIVATE salvage_core PkgConfig::CHECK)
add_test(NAME resources COMMAND test_resources)

add_executable(test_resources_real test_resources_real.c)
target_link_libraries(test_resources_real PRIVATE sv_testbundle salvage_core
  PkgConfig::CHECK)
target_compile_definitions(test_resources_real PRIVATE
  SV_SOURCE_DIR="${PROJECT_SOURCE_DIR}" SV_READER_DATA="${SV_READER_DATA}")
add_test(NAME resources_real COMMAND test_resources_real)
set_tests_properties(resources resources_real PROPERTIES TIMEOUT 300)
