// Internal to the frontend: the PEGTL grammar of Sigma conditions. Rules only; the actions that build the
// AST, the error messages and the nesting limit are in condition_parser.cpp.
//
//   condition   = sep or_expr sep end ;
//   or_expr     = and_expr { sep "or" sep and_expr } ;
//   and_expr    = not_expr { sep "and" sep not_expr } ;
//   not_expr    = { "not" sep } operand ;           (* = "not" not_expr | operand, without recursion *)
//   operand     = quantified | "(" sep or_expr sep ")" | identifier ;
//   quantified  = quantifier sep "of" sep ( "them" | pattern ) ;
//   quantifier  = "1" | "any" | "all" ;             (* "any" is pySigma's spelling of "1" *)
//   identifier  = word - ( "and" | "or" | "not" ) ;
//   word        = { letter | digit | "_" | "." | "-" }- ;
//   pattern     = { letter | digit | "_" | "." | "-" | "*" }- ;
//   sep         = { " " | "\t" | "\n" | "\r" } ;
//
// Letters and digits are ASCII. Keywords are lower-case whole words: a keyword followed by a pattern
// character is the start of a longer word, so `notepad`, `not_filter`, `android` and `order` are
// identifiers and `sel1 andsel2` is an error (pySigma matches keywords as prefixes; we do not). Precedence
// from loosest to tightest: or, and, not, quantifier, parentheses; and/or are n-ary, left to right.
//
// Each EBNF rule is the struct of the same name in PascalCase (or_expr is OrExpr, sep is Blanks). The
// rules named Expect* are the points where the parser commits: each is used under must<>, and its failure
// is reported with the message condition_parser.cpp gives it. The *Begin rules match nothing; they mark
// where an n-ary expression starts so the actions know which nodes are its operands.
#pragma once

#include <tao/pegtl.hpp>

namespace sigrun::frontend::condition_grammar {

namespace pegtl = tao::pegtl;

struct Blank : pegtl::one<' ', '\t', '\n', '\r'> {};
struct Blanks : pegtl::star<Blank> {};

struct WordChar : pegtl::sor<pegtl::ranges<'a', 'z', 'A', 'Z', '0', '9'>, pegtl::one<'_', '.', '-'>> {};
struct PatternChar : pegtl::sor<WordChar, pegtl::one<'*'>> {};

template <char... Chars>
struct Keyword : pegtl::seq<pegtl::string<Chars...>, pegtl::not_at<PatternChar>> {};

struct KwAnd : Keyword<'a', 'n', 'd'> {};
struct KwOr : Keyword<'o', 'r'> {};
struct KwNot : Keyword<'n', 'o', 't'> {};
struct KwOf : Keyword<'o', 'f'> {};
struct KwThem : Keyword<'t', 'h', 'e', 'm'> {};
struct KwOne : Keyword<'1'> {};
struct KwAny : Keyword<'a', 'n', 'y'> {};
struct KwAll : Keyword<'a', 'l', 'l'> {};

struct Reserved : pegtl::sor<KwAnd, KwOr, KwNot> {};
struct Identifier : pegtl::seq<pegtl::not_at<Reserved>, pegtl::plus<WordChar>> {};
struct Pattern : pegtl::plus<PatternChar> {};

struct OrExpr;

struct Quantifier : pegtl::sor<KwOne, KwAny, KwAll> {};
struct ExpectOf : pegtl::seq<KwOf> {};
struct ExpectTarget : pegtl::sor<KwThem, Pattern> {};
struct Quantified : pegtl::seq<Quantifier, Blanks, pegtl::must<ExpectOf>, Blanks, pegtl::must<ExpectTarget>> {
};

struct OpenParen : pegtl::one<'('> {};
struct ExpectOperandAfterOpen : pegtl::seq<OrExpr> {};
struct ExpectClose : pegtl::one<')'> {};
struct Parenthesized
    : pegtl::seq<OpenParen, Blanks, pegtl::must<ExpectOperandAfterOpen>, Blanks, pegtl::must<ExpectClose>> {};

struct Operand : pegtl::sor<Quantified, Parenthesized, Identifier> {};

struct NotBegin : pegtl::success {};
struct ExpectOperandAfterNot : pegtl::seq<Operand> {};
struct NotExpr
    : pegtl::seq<
          NotBegin,
          pegtl::sor<pegtl::seq<pegtl::plus<KwNot, Blanks>, pegtl::must<ExpectOperandAfterNot>>, Operand>> {};

struct AndBegin : pegtl::success {};
struct ExpectOperandAfterAnd : pegtl::seq<NotExpr> {};
struct AndExpr
    : pegtl::seq<AndBegin, NotExpr, pegtl::star<Blanks, KwAnd, Blanks, pegtl::must<ExpectOperandAfterAnd>>> {
};

struct OrBegin : pegtl::success {};
struct ExpectOperandAfterOr : pegtl::seq<AndExpr> {};
struct OrExpr
    : pegtl::seq<OrBegin, AndExpr, pegtl::star<Blanks, KwOr, Blanks, pegtl::must<ExpectOperandAfterOr>>> {};

struct ExpectFirstOperand : pegtl::seq<OrExpr> {};
struct ExpectEnd : pegtl::eof {};
struct Condition : pegtl::seq<Blanks, pegtl::must<ExpectFirstOperand>, Blanks, pegtl::must<ExpectEnd>> {};

}  // namespace sigrun::frontend::condition_grammar
