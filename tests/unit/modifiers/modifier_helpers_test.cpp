// The runtime helpers of the modifiers' opcodes (abi/helpers.h) called directly, and the address parser
// they and the compiler share (interp/ip_address.h).
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "abi/helpers.h"
#include "interp/ip_address.h"

namespace {

using sigrun::interp::IpAddress;

// A value and the text it points to.
struct Value {
  std::string text;
  SigrunValue value{};

  explicit Value(std::string t, SigrunValueKind kind = kSigrunString) : text(std::move(t)) {
    value.text = text.data();
    value.folded = text.data();
    value.text_len = static_cast<uint32_t>(text.size());
    value.folded_len = static_cast<uint32_t>(text.size());
    value.kind = kind;
  }
  Value(const Value&) = delete;
  Value& operator=(const Value&) = delete;
  const SigrunValue* get() const { return &value; }
};

bool address(const std::string& text) {
  IpAddress out;
  return sigrun::interp::parse_ip_address(text, out);
}

std::string bytes_of(const IpAddress& a) {
  return std::string(reinterpret_cast<const char*>(a.bytes), a.size);
}

TEST(IpAddress, AcceptsWhatPythonAccepts) {
  EXPECT_TRUE(address("0.0.0.0"));
  EXPECT_TRUE(address("255.255.255.255"));
  EXPECT_TRUE(address("::"));
  EXPECT_TRUE(address("::1"));
  EXPECT_TRUE(address("1::"));
  EXPECT_TRUE(address("1:2:3:4:5:6:7:8"));
  EXPECT_TRUE(address("1:2:3:4:5:6:7::"));
  EXPECT_TRUE(address("::ffff:1.2.3.4"));
  EXPECT_TRUE(address("64:ff9b::1.2.3.4"));
  EXPECT_TRUE(address("fe80::1%eth0"));
  EXPECT_TRUE(address("FE80::ABCD"));
  EXPECT_FALSE(address(""));
  EXPECT_FALSE(address("1.2.3"));
  EXPECT_FALSE(address("1.2.3.4.5"));
  EXPECT_FALSE(address("256.1.1.1"));
  EXPECT_FALSE(address("01.1.1.1"));
  EXPECT_FALSE(address("1.2.3.4 "));
  EXPECT_FALSE(address("1:2:3:4:5:6:7:8:9"));
  EXPECT_FALSE(address("1::2::3"));
  EXPECT_FALSE(address(":1::"));
  EXPECT_FALSE(address("1:"));
  EXPECT_FALSE(address(":::"));
  EXPECT_FALSE(address("12345::"));
  EXPECT_FALSE(address("g::"));
  EXPECT_FALSE(address("fe80::1%"));
  EXPECT_FALSE(address("1:2:3:4:5:6:7:1.2.3.4"));
  EXPECT_FALSE(address("1::2.3.4.5:6"));
  EXPECT_FALSE(address("[::1]"));

  IpAddress a;
  ASSERT_TRUE(sigrun::interp::parse_ip_address("1:2::ff:1.2.3.4", a));
  EXPECT_EQ(bytes_of(a), std::string("\0\1\0\2\0\0\0\0\0\0\0\xff\1\2\3\4", 16));
  IpAddress v4;
  ASSERT_TRUE(sigrun::interp::parse_ip_address("::ffff:10.1.2.3", a));
  ASSERT_TRUE(sigrun::interp::ipv4_mapped(a, v4));
  EXPECT_EQ(bytes_of(v4), std::string("\x0a\1\2\3", 4));
  ASSERT_TRUE(sigrun::interp::parse_ip_address("::1", a));
  EXPECT_FALSE(sigrun::interp::ipv4_mapped(a, v4));
}

TEST(IpNetwork, ParsesPrefixesAndMasksAndRejectsHostBits) {
  IpAddress network;
  unsigned prefix = 0;
  std::string error;
  ASSERT_TRUE(sigrun::interp::parse_ip_network("10.0.0.0/8", network, prefix, &error));
  EXPECT_EQ(prefix, 8u);
  ASSERT_TRUE(sigrun::interp::parse_ip_network("10.1.2.3", network, prefix, &error));
  EXPECT_EQ(prefix, 32u);
  ASSERT_TRUE(sigrun::interp::parse_ip_network("fe80::/10", network, prefix, &error));
  EXPECT_EQ(prefix, 10u);
  ASSERT_TRUE(sigrun::interp::parse_ip_network("192.168.0.0/255.255.0.0", network, prefix, &error));
  EXPECT_EQ(prefix, 16u);
  ASSERT_TRUE(sigrun::interp::parse_ip_network("192.168.0.0/0.0.255.255", network, prefix, &error));
  EXPECT_EQ(prefix, 16u);
  ASSERT_TRUE(sigrun::interp::parse_ip_network("0.0.0.0/0", network, prefix, &error));
  EXPECT_EQ(prefix, 0u);

  EXPECT_FALSE(sigrun::interp::parse_ip_network("10.0.0.1/8", network, prefix, &error));
  EXPECT_EQ(error, "'10.0.0.1/8' has host bits set (bits past the prefix length /8 must be zero)");
  EXPECT_FALSE(sigrun::interp::parse_ip_network("fe80::1/10", network, prefix, &error));
  EXPECT_FALSE(sigrun::interp::parse_ip_network("10.0.0.0/33", network, prefix, &error));
  EXPECT_FALSE(sigrun::interp::parse_ip_network("::/129", network, prefix, &error));
  EXPECT_FALSE(sigrun::interp::parse_ip_network("10.0.0.0/", network, prefix, &error));
  EXPECT_FALSE(sigrun::interp::parse_ip_network("10.0.0.0/255.0.255.0", network, prefix, &error));
  EXPECT_FALSE(sigrun::interp::parse_ip_network("::/ffff::", network, prefix, &error));
  EXPECT_FALSE(sigrun::interp::parse_ip_network("fe80::%eth0/64", network, prefix, &error));
  EXPECT_FALSE(sigrun::interp::parse_ip_network("10.0.0.0/8 ", network, prefix, &error));
}

SigrunOperand time_operand(double number, uint32_t comparison, uint32_t component) {
  SigrunOperand op{};
  op.number = number;
  op.flags = comparison << kSigrunComparisonShift | component << kSigrunTimeComponentShift;
  return op;
}

int component_of(const std::string& timestamp, uint32_t component) {
  const Value v(timestamp);
  for (int candidate = 0; candidate <= 9999; ++candidate) {
    const SigrunOperand op = time_operand(candidate, kSigrunCompareEq, component);
    if (sigrun_time_part(v.get(), &op))
      return candidate;
  }
  return -1;
}

TEST(TimePart, ReadsComponentsAsWritten) {
  EXPECT_EQ(component_of("2024-05-01T13:45:12.123Z", kSigrunTimeYear), 2024);
  EXPECT_EQ(component_of("2024-05-01T13:45:12.123Z", kSigrunTimeMonth), 5);
  EXPECT_EQ(component_of("2024-05-01T13:45:12.123Z", kSigrunTimeDay), 1);
  EXPECT_EQ(component_of("2024-05-01T13:45:12.123Z", kSigrunTimeHour), 13);
  EXPECT_EQ(component_of("2024-05-01T13:45:12.123Z", kSigrunTimeMinute), 45);
  // No conversion to UTC.
  EXPECT_EQ(component_of("2024-05-01T23:30:00-07:00", kSigrunTimeHour), 23);
  EXPECT_EQ(component_of("2024-05-01T23:30:00+0530", kSigrunTimeDay), 1);
  EXPECT_EQ(component_of("2024-05-01", kSigrunTimeHour), -1);
  EXPECT_EQ(component_of("2024-05-01", kSigrunTimeMonth), 5);
  EXPECT_EQ(component_of("2024-13-01", kSigrunTimeMonth), -1);
  EXPECT_EQ(component_of("2023-02-29", kSigrunTimeDay), -1);
  EXPECT_EQ(component_of("2024-02-29", kSigrunTimeDay), 29);
  EXPECT_EQ(component_of("2024-05-01T13:60:00Z", kSigrunTimeMinute), -1);
  EXPECT_EQ(component_of("2024-05-01T13:59:60Z", kSigrunTimeMinute), 59);  // a leap second
  EXPECT_EQ(component_of("2024-05-01T13:45:12.Z", kSigrunTimeHour), -1);
  EXPECT_EQ(component_of("2024-05-01T13:45:12+5", kSigrunTimeHour), -1);
  EXPECT_EQ(component_of("24-05-01", kSigrunTimeYear), -1);
  EXPECT_EQ(component_of("2024/05/01", kSigrunTimeYear), -1);
}

TEST(TimePart, IsoWeeks) {
  EXPECT_EQ(component_of("2024-01-01", kSigrunTimeWeek), 1);   // a Monday
  EXPECT_EQ(component_of("2024-12-29", kSigrunTimeWeek), 52);  // Sunday
  EXPECT_EQ(component_of("2024-12-30", kSigrunTimeWeek), 1);   // week 1 of 2025
  EXPECT_EQ(component_of("2020-12-31", kSigrunTimeWeek), 53);  // 2020 starts on a Wednesday, leap year
  EXPECT_EQ(component_of("2021-01-03", kSigrunTimeWeek), 53);  // still 2020's week 53
  EXPECT_EQ(component_of("2021-01-04", kSigrunTimeWeek), 1);
  EXPECT_EQ(component_of("2015-12-31", kSigrunTimeWeek), 53);  // 2015 starts on a Thursday
  EXPECT_EQ(component_of("2023-01-01", kSigrunTimeWeek), 52);  // Sunday: 2022's last week
  EXPECT_EQ(component_of("2000-02-29", kSigrunTimeWeek), 9);
  EXPECT_GE(component_of("0000-01-01", kSigrunTimeWeek), 52);  // before year 1: computed, not crashed
}

TEST(TimePart, ComparesAsFlagged) {
  const Value evening("2024-05-01T19:00:00Z");
  SigrunOperand op = time_operand(18, kSigrunCompareGte, kSigrunTimeHour);
  EXPECT_TRUE(sigrun_time_part(evening.get(), &op));
  op = time_operand(19, kSigrunCompareGt, kSigrunTimeHour);
  EXPECT_FALSE(sigrun_time_part(evening.get(), &op));
  op = time_operand(19, kSigrunCompareLte, kSigrunTimeHour);
  EXPECT_TRUE(sigrun_time_part(evening.get(), &op));
  op = time_operand(19, kSigrunCompareLt, kSigrunTimeHour);
  EXPECT_FALSE(sigrun_time_part(evening.get(), &op));
  op = time_operand(19, 6, kSigrunTimeHour);  // no such comparison
  EXPECT_FALSE(sigrun_time_part(evening.get(), &op));
  op = time_operand(19, kSigrunCompareEq, 9);  // no such component
  EXPECT_FALSE(sigrun_time_part(evening.get(), &op));
  const Value number("1714590000", kSigrunNumber);
  op = time_operand(2024, kSigrunCompareEq, kSigrunTimeYear);
  EXPECT_FALSE(sigrun_time_part(number.get(), &op));
}

TEST(NumCompare, ParsesOnlyFiniteNumbers) {
  SigrunOperand gt{};
  gt.number = 5;
  gt.flags = kSigrunCompareGt << kSigrunComparisonShift;
  auto check = [&](const std::string& text, SigrunValueKind kind) {
    const Value v(text, kind);
    return sigrun_num_compare(v.get(), &gt);
  };
  EXPECT_TRUE(check("6", kSigrunNumber));
  EXPECT_TRUE(check("5.5", kSigrunString));
  EXPECT_TRUE(check("1e1", kSigrunString));
  EXPECT_TRUE(check(".6e1", kSigrunString));
  EXPECT_FALSE(check("5", kSigrunNumber));
  EXPECT_FALSE(check("-6", kSigrunNumber));
  EXPECT_FALSE(check("inf", kSigrunString));
  EXPECT_FALSE(check("infinity", kSigrunString));
  EXPECT_FALSE(check("nan", kSigrunString));
  EXPECT_FALSE(check("1e999", kSigrunString));
  EXPECT_FALSE(check("+6", kSigrunString));
  EXPECT_FALSE(check("6 ", kSigrunString));
  EXPECT_FALSE(check("", kSigrunString));
  EXPECT_FALSE(check("true", kSigrunTrue));
  EXPECT_FALSE(check("{\"a\":6}", kSigrunObject));
}

TEST(Cidr, RejectsMalformedOperands) {
  const Value ip("10.0.0.1");
  SigrunOperand op{};
  const std::string ten("\x0a\0\0\0", 4);
  op.text = ten.data();
  op.len = 4;
  op.number = 8;
  EXPECT_TRUE(sigrun_cidr_contains(ip.get(), &op));
  op.number = 33;
  EXPECT_FALSE(sigrun_cidr_contains(ip.get(), &op));
  op.number = -1;
  EXPECT_FALSE(sigrun_cidr_contains(ip.get(), &op));
  op.number = 8;
  op.len = 3;
  EXPECT_FALSE(sigrun_cidr_contains(ip.get(), &op));
  op.len = 4;
  op.number = 0;
  const Value any("255.1.1.1");
  EXPECT_TRUE(sigrun_cidr_contains(any.get(), &op));
  const Value null("null", kSigrunNull);
  EXPECT_FALSE(sigrun_cidr_contains(null.get(), &op));
}

TEST(FieldHelpers, CompareTheTwoTexts) {
  SigrunOperand folded{};
  SigrunOperand cased{};
  cased.flags = kSigrunCased;
  const Value a("abc");
  const Value b("b");
  const Value null("null", kSigrunNull);
  EXPECT_TRUE(sigrun_field_eq(a.get(), a.get(), &folded));
  EXPECT_FALSE(sigrun_field_eq(a.get(), b.get(), &folded));
  EXPECT_TRUE(sigrun_field_contains(a.get(), b.get(), &cased));
  EXPECT_FALSE(sigrun_field_contains(b.get(), a.get(), &cased));
  EXPECT_FALSE(sigrun_field_prefix(a.get(), b.get(), &folded));
  EXPECT_FALSE(sigrun_field_suffix(a.get(), b.get(), &folded));
  EXPECT_FALSE(sigrun_field_eq(null.get(), null.get(), &folded));
  EXPECT_FALSE(sigrun_field_contains(a.get(), null.get(), &folded));
}

}  // namespace
