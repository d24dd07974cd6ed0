# Statistical models (models/sv_mdl_*.c): synthetic data from a seeded
# gsl_rng with known parameters; recovery, exact merge, calibration.
add_executable(test_models test_models.c)
target_link_libraries(test_models PRIVATE salvage_core PkgConfig::CHECK)
add_test(NAME models COMMAND test_models)
set_tests_properties(models PROPERTIES TIMEOUT 120)
