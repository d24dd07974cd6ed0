# Model files (analyzer/sv_modelfile*.c, models/model.xsd) and the train
# and merge commands: round trips of a synthetic baseline, every refusal
# on a hand-damaged file, and the built binary trained and merged on the
# real samples (samples/web-clean.tar.zst, web-incident.tar.zst).
add_executable(test_modelfile test_modelfile.c)
target_link_libraries(test_modelfile PRIVATE sv_testbundle salvage_core
  PkgConfig::CHECK)
target_compile_definitions(test_modelfile PRIVATE
  SV_SAMPLES="${PROJECT_SOURCE_DIR}/samples"
  SV_SALVAGE_BIN="$<TARGET_FILE:salvage>")
add_dependencies(test_modelfile salvage)
add_test(NAME modelfile COMMAND test_modelfile)
set_tests_properties(modelfile PROPERTIES TIMEOUT 600)
