# DNS parser (formats/net/sv_dns.c). test_dns: hand-built messages
# (compression, pointer loops, escapes, limits, every RR type, rcodes,
# NOT_DNS, cuts). test_dns_pcap: the real captures in data/pcap and
# data/capture read with libpcap, decoded with sv_decode and checked
# against tshark, and every prefix of every real message (data/SOURCES.md).
add_executable(test_dns test_dns.c)
target_link_libraries(test_dns PRIVATE salvage_core PkgConfig::CHECK)
add_test(NAME dns COMMAND test_dns)
set_tests_properties(dns PROPERTIES TIMEOUT 120)

add_executable(test_dns_pcap test_dns_pcap.c)
target_link_libraries(test_dns_pcap PRIVATE salvage_core PkgConfig::CHECK)
target_compile_definitions(test_dns_pcap PRIVATE
  SV_NET_DATA="${SV_READER_DATA}")
add_test(NAME dns_pcap COMMAND test_dns_pcap)
set_tests_properties(dns_pcap PROPERTIES TIMEOUT 120)
