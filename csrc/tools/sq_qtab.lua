#!/usr/bin/env lua5.4
--- Writes csrc/gen/sq_qtab.h: the character table of the quantity parser and
-- scanner (sq_qchar.c, sq_qunits.c, sq_scan.c).  Run after changing a
-- numeral character below or a word table of sq_qunits.c:
--   make gen     (lua5.4 csrc/tools/sq_qtab.lua <path of sq_qunits.c>)
-- `make gen-check` (part of `make analyze`) says when the header is out of
-- date.
-- `make bench-check` (build/bench/quantity_c check) compares every code point
-- of the table with the reference lists it is made from.
--
-- Layout: a character of three UTF-8 bytes b0 b1 b2 (U+0800..U+FFFF) has
-- the entry sq_qchr[sq_qblk[(b0 & 0x0F) << 8 | b1]][b2 & 0x3F]: the first
-- level maps each block of 64 code points to a row of the second (row 0
-- is all zero: no character of interest); a b1 that is no continuation
-- byte maps to the last row, all SQ_Q_SCAN, so that the scanner's loop,
-- which checks only b0 and b2, stops there.  Bits of an entry
-- (sq_qtypes.h): value (0-3), numeral class (4-6), SQ_Q_SCAN (the
-- scanner must look at it), SQ_Q_UNIT, SQ_Q_PREFIX, SQ_Q_SUFFIX, SQ_Q_SEP
-- (some word of that table starts with it), SQ_Q_LIANG (两, 兩).  Then, for each word table of
-- sq_qunits.c, the first characters of its words in order (SQ_QCP_*) and
-- the word each one opens (SQ_QIX_*: an index into the table), for a
-- binary search.

local NUMERALS = { -- code point, class, value
  { 0x3007, "DIGIT", 0 }, { 0x96F6, "DIGIT", 0 },                   -- 〇 零
  { 0x4E00, "DIGIT", 1 }, { 0x58F9, "DIGIT", 1 },                   -- 一 壹
  { 0x4E8C, "DIGIT", 2 }, { 0x4E24, "DIGIT", 2 }, { 0x5169, "DIGIT", 2 }, -- 二 两 兩
  { 0x8CB3, "DIGIT", 2 }, { 0x8D30, "DIGIT", 2 },                   -- 貳 贰
  { 0x4E09, "DIGIT", 3 }, { 0x53C1, "DIGIT", 3 }, { 0x53C3, "DIGIT", 3 }, -- 三 叁 參
  { 0x53C4, "DIGIT", 3 },                                           -- 叄
  { 0x56DB, "DIGIT", 4 }, { 0x8086, "DIGIT", 4 },                   -- 四 肆
  { 0x4E94, "DIGIT", 5 }, { 0x4F0D, "DIGIT", 5 },                   -- 五 伍
  { 0x516D, "DIGIT", 6 }, { 0x9646, "DIGIT", 6 }, { 0x9678, "DIGIT", 6 }, -- 六 陆 陸
  { 0x4E03, "DIGIT", 7 }, { 0x67D2, "DIGIT", 7 },                   -- 七 柒
  { 0x516B, "DIGIT", 8 }, { 0x634C, "DIGIT", 8 },                   -- 八 捌
  { 0x4E5D, "DIGIT", 9 }, { 0x7396, "DIGIT", 9 },                   -- 九 玖
  { 0x5341, "UNIT", 1 }, { 0x62FE, "UNIT", 1 },                     -- 十 拾
  { 0x767E, "UNIT", 2 }, { 0x4F70, "UNIT", 2 },                     -- 百 佰
  { 0x5343, "UNIT", 3 }, { 0x4EDF, "UNIT", 3 },                     -- 千 仟
  { 0x4E07, "BIG", 4 }, { 0x842C, "BIG", 4 },                       -- 万 萬
  { 0x4EBF, "BIG", 8 }, { 0x5104, "BIG", 8 },                       -- 亿 億
  { 0x70B9, "POINT", 0 }, { 0x9EDE, "POINT", 0 },                   -- 点 點
  { 0x4F59, "OVER", 0 }, { 0x9918, "OVER", 0 }, { 0x591A, "OVER", 0 }, -- 余 餘 多
}
for d = 0, 9 do NUMERALS[#NUMERALS + 1] = { 0xFF10 + d, "ADIGIT", d } end -- ０-９

local CLASS = { NONE = 0, ADIGIT = 1, DIGIT = 2, UNIT = 3, BIG = 4, POINT = 5, OVER = 6 }
local SCAN, UNIT, PREFIX, SUFFIX, SEP, LIANG = 0x80, 0x100, 0x200, 0x400, 0x800, 0x1000
-- scanner starts besides the numerals and the qualifier words: 半 (半年),
-- 百分之, 千分之, 百余, 千余 (sq_scan.c, start_kind)
local SCAN_EXTRA = { 0x534A, 0x767E, 0x5343 }

local here = arg[0]:match("^(.*)/tools/[^/]*$") or "csrc"
local src = assert(io.open(arg[1] or here .. "/sq_qunits.c")):read("a")

-- The first characters of the words in the C array `name` of sq_qunits.c.
local function first_chars(name)
  local body = assert(src:match("%f[%w]" .. name .. "%[%] = {(.-)\n};"), name)
  local out = {}
  for w in body:gmatch('"([^"]*)"') do
    local cp = utf8.codepoint(w, 1)
    if cp >= 0x800 and cp <= 0xFFFF then out[#out + 1] = cp
    else assert(name == "SEPS", "a word of " .. name .. " must start with a CJK character") end
  end
  assert(#out > 0, name)
  return out
end

local entry = {}
local function add(cp, bits)
  entry[cp] = (entry[cp] or 0) | bits
end
for _, n in ipairs(NUMERALS) do
  local cls = CLASS[n[2]]
  add(n[1], (cls << 4) | n[3])
  -- starts: digits, 十/拾 (sq_scan.c, start_kind)
  if n[2] == "ADIGIT" or n[2] == "DIGIT" or (n[2] == "UNIT" and n[3] == 1) then add(n[1], SCAN) end
end
for _, cp in ipairs(SCAN_EXTRA) do add(cp, SCAN) end
add(0x4E24, LIANG) -- 两 and 兩: 2, with rules of their own (sq_qnumeral)
add(0x5169, LIANG)
for _, cp in ipairs(first_chars("UNITS")) do add(cp, UNIT) end
for _, cp in ipairs(first_chars("PREFIX")) do add(cp, PREFIX | SCAN) end
for _, cp in ipairs(first_chars("SUFFIX")) do add(cp, SUFFIX) end
for _, cp in ipairs(first_chars("SEPS")) do add(cp, SEP) end

-- blocks of 64 code points, in order
local blocks, rows = {}, {}
for cp in pairs(entry) do
  local b = cp >> 6
  if not blocks[b] then blocks[b] = true; rows[#rows + 1] = b end
end
table.sort(rows)
for i, b in ipairs(rows) do blocks[b] = i end
local INVALID = #rows + 1 -- the row of a second byte that is no continuation byte
assert(INVALID < 256)

local out = {}
local function w(s) out[#out + 1] = s end
w("/* Generated by csrc/tools/sq_qtab.lua (make gen): do not edit. */")
w("/* sq_qtab.h -- from the numeral list of csrc/tools/sq_qtab.lua and the word")
w("   tables of sq_qunits.c (see the tool for the layout).")
w("   sq_qchar.c includes the character table (declared in sq_qchar.h),")
w("   sq_qunits.c the word indexes. */")
w("")
w("#ifdef SQ_QTAB_CHARS /* sq_qchar.c: the character table */")
w("const unsigned char sq_qblk[4096] = {")
local line = {}
for i = 0, 4095 do
  local b1 = i & 0xFF
  local row = INVALID
  if b1 >= 0x80 and b1 <= 0xBF then row = blocks[((i >> 8) << 6) | (b1 & 0x3F)] or 0 end
  line[#line + 1] = ("%d,"):format(row)
  if #line == 16 then w("  " .. table.concat(line, " ")); line = {} end
end
w("};")
w("")
w("const unsigned short sq_qchr[][64] = {")
w("  {0},")
for i, b in ipairs(rows) do
  local cells = {}
  for k = 0, 63 do
    local e = entry[(b << 6) | k]
    if e then cells[#cells + 1] = ("[%d] = 0x%03X /* %s */"):format(k, e, utf8.char((b << 6) | k)) end
  end
  w(("  /* %d: U+%04X */ {%s},"):format(i, b << 6, table.concat(cells, ", ")))
end
local all = {}
for k = 1, 64 do all[k] = ("0x%03X"):format(SCAN) end
w(("  /* %d: no character (the second byte is no continuation byte) */"):format(INVALID))
w("  {" .. table.concat(all, ", ", 1, 16) .. ",")
for k = 17, 64, 16 do w("   " .. table.concat(all, ", ", k, k + 15) .. ",") end
w("  },")
w("};")
w("#endif")
w("")
w("#ifdef SQ_QTAB_WORDS /* sq_qunits.c: each word table's words by first character */")
for _, name in ipairs({ "UNITS", "PREFIX", "SUFFIX" }) do
  local cps = first_chars(name)
  local ix = {}
  for i = 1, #cps do ix[i] = i end
  table.sort(ix, function(a, b)
    if cps[a] ~= cps[b] then return cps[a] < cps[b] end
    return a < b
  end)
  local c, x = {}, {}
  for i, k in ipairs(ix) do c[i] = ("0x%04X"):format(cps[k]); x[i] = tostring(k - 1) end
  w(("#define SQ_QN_%s %d"):format(name, #cps))
  w(("static const unsigned short SQ_QCP_%s[] = {"):format(name))
  for i = 1, #c, 10 do w("  " .. table.concat(c, ", ", i, math.min(i + 9, #c)) .. ",") end
  w("};")
  w(("static const unsigned char SQ_QIX_%s[] = {"):format(name))
  for i = 1, #x, 20 do w("  " .. table.concat(x, ", ", i, math.min(i + 19, #x)) .. ",") end
  w("};")
end
w("#endif")
io.write(table.concat(out, "\n"), "\n")
