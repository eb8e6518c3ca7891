// Internal to the runtime (also used by the compiler to parse `cidr` networks). IP address and network
// text, parsed without allocating, so the `cidr` helper can run on every event and the compiler accepts
// exactly the networks whose bits the helper compares.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sigrun::interp {

struct IpAddress {
  uint8_t bytes[16] = {};  // network byte order; the first `size` bytes are used
  uint8_t size = 0;        // 4 (IPv4) or 16 (IPv6)
};

// Parses the whole of `text` as an address, as Python's ipaddress.ip_address does: IPv4 is four decimal
// octets 0-255 without leading zeros; IPv6 is RFC 4291 text (1-4 hex digits per group, at most one `::`,
// optionally a dotted IPv4 address as the last 32 bits) with an optional `%zone` suffix, which is
// ignored. Anything else (surrounding spaces, a prefix, brackets) is not an address.
bool parse_ip_address(std::string_view text, IpAddress& out);

// When `address` is an IPv4-mapped IPv6 address (::ffff:a.b.c.d), sets `v4` to a.b.c.d and returns true.
bool ipv4_mapped(const IpAddress& address, IpAddress& v4);

// True when the first `prefix` bits of `address` equal those of `network` (both of the same size;
// `prefix` at most 8 * size).
bool ip_prefix_equal(const IpAddress& address, const IpAddress& network, unsigned prefix);

// Parses a network as Python's ipaddress.ip_network does in strict mode: an address, optionally followed
// by `/` and a prefix length (decimal digits, at most 32 for IPv4 and 128 for IPv6) or, for IPv4, a
// netmask (255.255.0.0) or host mask (0.0.255.255); without one the network is the single address.
// Host bits set below the prefix are an error (10.0.0.1/8). On failure returns false and sets `*error` to
// the reason.
bool parse_ip_network(std::string_view text, IpAddress& network, unsigned& prefix, std::string* error);

}  // namespace sigrun::interp
