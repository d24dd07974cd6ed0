# Flow attribution (analyzer/sv_attrib.c, sv_attrib_join.c): synthetic
# proc/inspect/socket records and flows, then the incident sample end to
# end through sv_pipeline_run (samples/web-incident.tar.zst).
add_executable(test_attrib test_attrib.c)
target_link_libraries(test_attrib PRIVATE salvage_core PkgConfig::CHECK)
target_compile_definitions(test_attrib PRIVATE
  SV_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_test(NAME attrib COMMAND test_attrib)
set_tests_properties(attrib PROPERTIES TIMEOUT 300)
