# frozen_string_literal: true
#
# The argument lists every capture script pushes (name => args array).
# File names in captured/ are these names.

module Interop
  ARG_CASES = {
    "integers"        => [0, 1, -1, 42, 2_147_483_647, 2_147_483_648, -9_223_372_036_854_775_808, 9_007_199_254_740_993],
    "big_integers"    => [18_446_744_073_709_551_616, -18_446_744_073_709_551_616, 123_456_789_012_345_678_901_234_567_890],
    "floats"          => [1.0e-05, 10_000_000.0, 0.1, 1.5, 0.0001, 0.001, 100.0, -0.0, 12_345_678.9,
                          1.0e15, 1.0e16, 1.0 / 3, 2.5e-300, 1.7976931348623157e308, 5.0e-324],
    "strings_unicode" => ["é", "€", "日本語", "Grüße", "\u00a0nbsp", "\u2028\u2029"],
    "strings_slash"   => ["a/b", "</script>", "http://example.com/x?y=1&z=2"],
    "strings_control" => ["\t\n\r\b\f", "\u0000\u0001\u001f", "\u007f", "\"quoted\" \\back\\slash"],
    "strings_html"    => ["<b>&amp;</b>", "'single'", "a>b&c<d"],
    "emoji"           => ["😀", "👍🏽", "🇩🇪", "e\u0301"],
    "nested"          => [{ "a" => { "b" => [1, { "c" => nil }] }, "z" => [[], {}] }, [[1, 2], [3, [4]]], { "k" => "v", "a" => 1 }],
    "nil_true_false"  => [nil, true, false],
    "symbols"         => [:sym, { sym_key: :sym_value }, [:a, :b], { 1 => "int key", 2.5 => "float key", nil => "nil key" }],
    "empty"           => [],
    "empty_values"    => ["", [], {}],
    "mixed_invoice"   => [42, "EUR", { "a" => 1 }]
  }.freeze
end
