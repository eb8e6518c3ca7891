// Implements ip_address.h: parse_ip_address, ipv4_mapped, ip_prefix_equal and parse_ip_network.
#include "interp/ip_address.h"

#include <cstring>

namespace sigrun::interp {
namespace {

inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

inline int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// Four octets into out[0..4).
bool parse_ipv4(std::string_view text, uint8_t* out) {
  size_t at = 0;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (at >= text.size() || text[at] != '.')
        return false;
      ++at;
    }
    const size_t begin = at;
    unsigned value = 0;
    while (at < text.size() && is_digit(text[at]) && at - begin < 3) {
      value = value * 10 + static_cast<unsigned>(text[at] - '0');
      ++at;
    }
    const size_t digits = at - begin;
    // Python rejects leading zeros, which some tools read as octal.
    if (digits == 0 || value > 255 || (digits > 1 && text[begin] == '0'))
      return false;
    out[octet] = static_cast<uint8_t>(value);
  }
  return at == text.size();
}

// Eight groups into out[0..16).
bool parse_ipv6(std::string_view text, uint8_t* out) {
  uint16_t groups[8] = {};
  int count = 0;  // groups written
  int gap = -1;   // index in `groups` where `::` stands
  size_t at = 0;
  if (text.size() >= 2 && text[0] == ':' && text[1] == ':') {
    gap = 0;
    at = 2;
  } else if (!text.empty() && text[0] == ':') {
    return false;
  }
  while (at < text.size()) {
    if (count == 8)
      return false;
    // The last 32 bits may be written as an IPv4 address.
    const size_t next_colon = text.find(':', at);
    const std::string_view rest =
        text.substr(at, next_colon == std::string_view::npos ? text.npos : next_colon - at);
    if (next_colon == std::string_view::npos && rest.find('.') != std::string_view::npos) {
      uint8_t v4[4];
      if (count > 6 || !parse_ipv4(rest, v4))
        return false;
      groups[count++] = static_cast<uint16_t>(v4[0] << 8 | v4[1]);
      groups[count++] = static_cast<uint16_t>(v4[2] << 8 | v4[3]);
      at = text.size();
      break;
    }
    unsigned value = 0;
    size_t digits = 0;
    while (at < text.size() && digits < 4 && hex_value(text[at]) >= 0) {
      value = value * 16 + static_cast<unsigned>(hex_value(text[at]));
      ++at;
      ++digits;
    }
    if (digits == 0)
      return false;
    groups[count++] = static_cast<uint16_t>(value);
    if (at == text.size())
      break;
    if (text[at] != ':')
      return false;
    ++at;
    if (at < text.size() && text[at] == ':') {
      if (gap >= 0)
        return false;  // a second `::`
      gap = count;
      ++at;
    } else if (at == text.size()) {
      return false;  // a single trailing colon
    }
  }
  if (gap < 0) {
    if (count != 8)
      return false;
  } else {
    // `::` stands for at least one zero group.
    if (count > 7)
      return false;
    const int tail = count - gap;
    for (int i = 0; i < tail; ++i)
      groups[7 - i] = groups[count - 1 - i];
    for (int i = gap; i < 8 - tail; ++i)
      groups[i] = 0;
  }
  for (int i = 0; i < 8; ++i) {
    out[2 * i] = static_cast<uint8_t>(groups[i] >> 8);
    out[2 * i + 1] = static_cast<uint8_t>(groups[i] & 0xFF);
  }
  return true;
}

bool parse_prefix_length(std::string_view text, unsigned max, unsigned& prefix) {
  if (text.empty() || text.size() > 3)
    return false;
  unsigned value = 0;
  for (char c : text) {
    if (!is_digit(c))
      return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > max)
    return false;
  prefix = value;
  return true;
}

// A dotted IPv4 netmask (ones then zeros) or host mask (zeros then ones) as a prefix length.
bool parse_ipv4_mask(std::string_view text, unsigned& prefix) {
  uint8_t bytes[4];
  if (!parse_ipv4(text, bytes))
    return false;
  const uint32_t mask =
      uint32_t{bytes[0]} << 24 | uint32_t{bytes[1]} << 16 | uint32_t{bytes[2]} << 8 | bytes[3];
  for (unsigned length = 0; length <= 32; ++length) {
    const uint32_t netmask = length == 0 ? 0 : ~uint32_t{0} << (32 - length);
    if (mask == netmask || mask == ~netmask) {
      prefix = length;
      return true;
    }
  }
  return false;
}

}  // namespace

bool parse_ip_address(std::string_view text, IpAddress& out) {
  if (text.find(':') == std::string_view::npos) {
    out.size = 4;
    return parse_ipv4(text, out.bytes);
  }
  const size_t zone = text.find('%');
  if (zone != std::string_view::npos) {
    if (zone + 1 == text.size())
      return false;
    text = text.substr(0, zone);
  }
  out.size = 16;
  return parse_ipv6(text, out.bytes);
}

bool ipv4_mapped(const IpAddress& address, IpAddress& v4) {
  static constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  if (address.size != 16 || std::memcmp(address.bytes, kMappedPrefix, sizeof kMappedPrefix) != 0)
    return false;
  v4.size = 4;
  std::memcpy(v4.bytes, address.bytes + 12, 4);
  return true;
}

bool ip_prefix_equal(const IpAddress& address, const IpAddress& network, unsigned prefix) {
  const unsigned whole = prefix / 8;
  if (std::memcmp(address.bytes, network.bytes, whole) != 0)
    return false;
  const unsigned bits = prefix % 8;
  if (bits == 0)
    return true;
  const auto mask = static_cast<uint8_t>(0xFF << (8 - bits));
  return (address.bytes[whole] & mask) == (network.bytes[whole] & mask);
}

bool parse_ip_network(std::string_view text, IpAddress& network, unsigned& prefix, std::string* error) {
  const size_t slash = text.find('/');
  const std::string_view address = text.substr(0, slash);
  if (address.find('%') != std::string_view::npos || !parse_ip_address(address, network)) {
    *error = "'" + std::string(address) + "' is not an IPv4 or IPv6 address";
    return false;
  }
  const unsigned max = network.size * 8u;
  prefix = max;
  if (slash != std::string_view::npos) {
    const std::string_view length = text.substr(slash + 1);
    const bool ok =
        parse_prefix_length(length, max, prefix) || (network.size == 4 && parse_ipv4_mask(length, prefix));
    if (!ok) {
      *error = "'" + std::string(length) + "' is not a valid " + (network.size == 4 ? "IPv4" : "IPv6") +
               " prefix length" + (network.size == 4 ? " or netmask" : "");
      return false;
    }
  }
  for (unsigned bit = prefix; bit < max; ++bit) {
    if (network.bytes[bit / 8] & (0x80u >> (bit % 8))) {
      *error = "'" + std::string(text) + "' has host bits set (bits past the prefix length /" +
               std::to_string(prefix) + " must be zero)";
      return false;
    }
  }
  return true;
}

}  // namespace sigrun::interp
