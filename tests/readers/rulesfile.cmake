# The user's rules file: formats/sv_rulesfile.c (parse, validate, every
# error with its line) and models/sv_userrules.c (evaluation, [tune],
# [allow]) on the real podman samples and a real DNS capture; the
# examples of docs/rules.md and samples/rules.example must parse.
add_executable(test_rulesfile test_rulesfile.c)
target_link_libraries(test_rulesfile PRIVATE salvage_core PkgConfig::CHECK)
target_compile_definitions(test_rulesfile PRIVATE
  SV_SOURCE="${PROJECT_SOURCE_DIR}" SV_READER_DATA="${SV_READER_DATA}")
add_test(NAME rulesfile COMMAND test_rulesfile)
set_tests_properties(rulesfile PROPERTIES TIMEOUT 300)
