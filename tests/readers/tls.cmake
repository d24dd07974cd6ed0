# Application parsers (formats/net/sv_tls.c, sv_ssh.c): real captures in
# data/pcap read with libpcap and decoded with sv_decode, each TCP stream
# rebuilt in sequence order, checked against tshark's TLS and SSH fields
# (see data/SOURCES.md); plus built and hostile streams. One binary, one
# ctest entry per suite.
add_executable(test_tls_ssh test_tls.c test_ssh.c)
target_link_libraries(test_tls_ssh PRIVATE salvage_core PkgConfig::CHECK)
target_compile_definitions(test_tls_ssh PRIVATE
  SV_NET_DATA="${SV_READER_DATA}")
add_test(NAME tls COMMAND test_tls_ssh tls)
add_test(NAME ssh COMMAND test_tls_ssh ssh)
set_tests_properties(tls ssh PROPERTIES TIMEOUT 120)
