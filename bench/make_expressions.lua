--- Writes bench/expressions.txt, the list `make bench` (quantity) and
-- `make bench-callgrind` (parser) run: deterministic, so rerunning it
-- gives the same file.  Not part of `make bench`: the file is kept in the
-- repository and this script documents how it was made.
--
--   LUA_PATH_5_4='lua/?.lua;lua/?/init.lua;;' LUA_CPATH_5_4='build/?.so;;' \
--     lua5.4 bench/make_expressions.lua > bench/expressions.txt
--
-- Every expression must parse with siqun.quantity (checked here).  Groups:
--   A  plain Chinese integers (一..九 十 百 千 万 亿 零, standard
--      reading, whole 亿 only above 10^8): the form all three JavaScript
--      converters read right; two thirds of the list
--   B  with 两 (两百, 两万三千)
--   C  Arabic decimals with a scale (54.29万, 35.5亿)
--   D  with units, measure words and qualifiers (约360万张, 不少于1个月)
--   E  percentages and fractions
--   F  dates
--   G  financial numerals (壹佰贰拾叁)

package.path = (arg[0]:match("^(.*)/[^/]*$") or ".") .. "/?.lua;" .. package.path
local siqun = require "siqun"

local DIGITS = { [0] = "零", "一", "二", "三", "四", "五", "六", "七", "八", "九" }
local UNITS = { [0] = "", "十", "百", "千" }
local BIG = { "", "万", "亿" }

local function group(g, digits)
  local s, zero = "", false
  for pos = 3, 0, -1 do
    local d = (g // 10 ^ pos | 0) % 10
    if d == 0 then
      if s ~= "" then zero = true end
    else
      if zero then s = s .. "零"; zero = false end
      s = s .. digits[d] .. UNITS[pos]
    end
  end
  return s
end

--- The standard reading of 0 <= n < 10^12 (一万零五百, 十二, 三亿零四十万).
local function zh(n, digits)
  digits = digits or DIGITS
  if n == 0 then return digits[0] end
  local groups = {}
  while n > 0 do groups[#groups + 1] = n % 10000; n = n // 10000 end
  local s, gap = "", false
  for i = #groups, 1, -1 do
    local g = groups[i]
    if g == 0 then
      if s ~= "" then gap = true end
    else
      if s ~= "" and (gap or g < 1000) then s = s .. digits[0] end
      gap = false
      s = s .. group(g, digits) .. BIG[i]
    end
  end
  if s:sub(1, 6) == digits[1] .. "十" then s = s:sub(#digits[1] + 1) end
  return s
end

local x = 20120701
local function rand(n) -- xorshift, deterministic
  x = x ~ (x << 13); x = x ~ (x >> 7); x = x ~ (x << 17)
  return (x >> 1) % n
end

-- A number of d significant digits and magnitude 10^e, with zeros inside
-- now and then (so that 零 appears).
local function number(e, d)
  local n = 0
  for i = 0, d - 1 do
    local digit = (i == 0) and (1 + rand(9)) or (rand(3) == 0 and 0 or rand(10))
    n = n + digit * 10 ^ (e - i) // 1 | 0
  end
  return n
end

local out, seen = {}, {}
local function add(group_name, s)
  if seen[s] then return end
  local q, err = siqun.quantity(s)
  if not q then error(("%s: siqun cannot parse %q: %s"):format(group_name, s, err)) end
  seen[s] = true
  out[#out + 1] = s
end

-- A: 200 plain integers over magnitudes 10^0 .. 10^11
local plain = {}
while #plain < 200 do
  local e = rand(12)
  -- chinese-numbers-converter misreads 亿 followed by a 万 group
  -- (一亿八千万 -> 1000080000000): above 10^8, only whole 亿
  local d = 1 + rand(math.min(e + 1, 5))
  if e >= 8 then d = math.min(d, e - 7) end
  local n = number(e, d)
  local s = zh(n)
  if not seen[s] then add("A", s); plain[#plain + 1] = s end
end

-- B: 20 with 两
local two = { "两百", "两千", "两万", "两亿", "两千五百", "两万三千", "两百零五", "两千零二十",
              "十二万两千", "两百四十五", "三千两百", "两万两千两百", "两千万", "两百万",
              "四万两千", "两亿五千万", "两千三百万", "两百五十", "两千零八", "两万零九百" }
for _, s in ipairs(two) do add("B", s) end

-- C: 25 Arabic decimals with a scale
for _ = 1, 25 do
  local int = 1 + rand(999)
  local dec = rand(100)
  local s = dec == 0 and tostring(int) or ("%d.%02d"):format(int, dec):gsub("0$", "")
  add("C", s .. (rand(3) == 0 and "亿" or "万"))
end

-- D: 25 with units, measure words and qualifiers
local D = { "约360万张", "近50万名", "1万多个", "不少于1个月", "36万余人", "1479支", "6亿元",
            "420余万元", "2万余件", "近300万户", "88万套", "3年", "1.7万支", "不少于2个月",
            "12万篇", "2.48万名", "4.32万次", "86.81万人次", "16.32万场", "21.40万条",
            "约300万套", "三个月", "五年", "十多个", "超过三千人" }
for _, s in ipairs(D) do add("D", s) end

-- E: 10 percentages and fractions
for _, s in ipairs({ "近30%", "百分之三十", "五分之一", "1/5", "百分之八十五", "三成",
                     "45%", "千分之五", "12.5%", "三分之二" }) do
  add("E", s)
end

-- F: 10 dates
for _, s in ipairs({ "2011年12月", "2012年7月1日", "二〇一二年", "2012年", "2012年1月",
                     "2010年10月", "1949年10月1日", "二〇一一年十二月", "2009年", "2012年6月30日" }) do
  add("F", s)
end

-- G: 10 financial numerals
local FIN = { [0] = "零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖" }
for _ = 1, 10 do add("G", zh(number(2 + rand(5), 3), FIN):gsub("十", "拾"):gsub("百", "佰")
                            :gsub("千", "仟")) end

print("# Chinese quantity expressions for the quantity benchmark and the")
print("# callgrind parser count; made by bench/make_expressions.lua (see there")
print("# for the groups).  One expression a line; '#' starts a comment line.")
print(("# %d expressions: %d plain Chinese integers (group A) first."):format(#out, #plain))
for _, s in ipairs(out) do print(s) end
