# Detections of issue 6 on real captures: samples/detect/*.tar.zst
# (samples/make-detections.sh, real podman containers on this machine).
# Every attack sets off its rule in the attacked container, no built-in
# rule fires on the clean runs, and a baseline trained on clean-1..5
# flags the shell in api and stays quiet on the held-out clean-6.
add_executable(test_detect test_detect.c)
target_link_libraries(test_detect PRIVATE salvage_core PkgConfig::CHECK)
target_compile_definitions(test_detect PRIVATE
  SV_DETECT_DIR="${PROJECT_SOURCE_DIR}/samples/detect")
# The baseline checks need models/sv_baseline.c and analyzer/sv_featurize.c
# (landing with issue 6); without them those checks print why they skip.
if(EXISTS "${PROJECT_SOURCE_DIR}/models/sv_baseline.c" AND
   EXISTS "${PROJECT_SOURCE_DIR}/analyzer/sv_featurize.c")
  target_compile_definitions(test_detect PRIVATE SV_DETECT_HAVE_BASELINE=1)
endif()
add_test(NAME detect COMMAND test_detect)
set_tests_properties(detect PROPERTIES TIMEOUT 600)
