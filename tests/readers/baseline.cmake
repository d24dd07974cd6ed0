# Baselines (models/sv_baseline.c, sv_baseline_score.c): train, merge,
# fit, digest and score on synthetic feature sets from a seeded gsl_rng;
# end to end, trained on samples/web-clean.tar.zst and scoring
# samples/web-incident.tar.zst (real podman captures).
add_executable(test_baseline test_baseline.c test_baseline_score.c)
target_link_libraries(test_baseline PRIVATE salvage_core PkgConfig::CHECK)
target_compile_definitions(test_baseline PRIVATE
  SV_SAMPLES="${PROJECT_SOURCE_DIR}/samples")
add_test(NAME baseline COMMAND test_baseline)
set_tests_properties(baseline PROPERTIES TIMEOUT 1200)
