-- core.quantity(text): one Chinese quantity expression -> a read-only
-- siqun.Quantity (a userdata), or nil plus a message saying where and why.
local compat = require "siqun.compat"
local utf8 = compat.utf8
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua (siqun.compat)
local core = require "siqun.core"

-- Bounds each qualifier implies (min, max; nil where open).
local function bounds(q, v)
  if q == "exact" then return v, v end
  if q == "approx" then return nil, nil end
  if q == "nearly" or q == "at_most" or q == "under" then return nil, v end
  if q == "over" or q == "at_least" then return v, nil end
  error("no default bounds for " .. q)
end

local function close(a, b)
  return a == b or (type(a) == "number" and type(b) == "number" and
                    math.abs(a - b) <= 1e-12 * math.max(1, math.abs(b)))
end

-- { text, value, unit, qualifier (default exact), min, max (ranges) }
local NUMBERS = {
  -- the forms the dataset uses
  { "54.29万本", 542900, "本" },
  { "86.81万人次", 868100, "人次" },
  { "21.40万条", 214000, "条" },
  { "1479支", 1479, "支" },
  { "1万多个", 10000, "个", "over" },
  { "420余万元", 4200000, "元", "over" },
  { "2万余件", 20000, "件", "over" },
  { "36万余人", 360000, "人", "over" },
  { "近50万名", 500000, "名", "nearly" },
  { "近300万户", 3000000, "户", "nearly" },
  { "999.5万", 9995000, nil },
  { "近30%", 30, "%", "nearly" },
  { "约360万张", 3600000, "张", "approx" },
  { "35.5亿元", 3550000000, "元" },
  { "6亿元", 600000000, "元" },
  { "1/5", 0.2, nil },
  { "不少于1个月", 1, "个月", "at_least" },
  { "不少于60天", 60, "天", "at_least" },
  { "5年内", 5, "年", "at_most" },
  { "一年", 1, "年" },
  { "3年", 3, "年" },
  { "三个", 3, "个" },
  { "六个", 6, "个" },

  -- Arabic numerals
  { "0", 0 }, { "7", 7 }, { "42", 42 }, { "007", 7 }, { "1000", 1000 },
  { "1,234", 1234 }, { "12,345,678", 12345678 }, { "1,234.5", 1234.5 },
  { "3.14", 3.14 }, { "0.5", 0.5 }, { "0.05", 0.05 }, { "10.0", 10 },
  { "１２３", 123 }, { "１２．５", 12.5 }, { "２０１２", 2012 },
  { "9007199254740991", 9007199254740991 },
  { "1234567890123456789", 1234567890123456789 },

  -- Chinese numerals
  { "零", 0 }, { "〇", 0 }, { "一", 1 }, { "二", 2 }, { "两", 2 }, { "九", 9 },
  { "十", 10 }, { "十一", 11 }, { "十二", 12 }, { "一十二", 12 }, { "二十", 20 },
  { "二十一", 21 }, { "九十九", 99 }, { "一百", 100 }, { "一百零一", 101 },
  { "一百一十", 110 }, { "一百一十一", 111 }, { "一千", 1000 },
  { "一千零一", 1001 }, { "一千零一十", 1010 }, { "一千零十", 1010 },
  { "一千一百", 1100 }, { "九千九百九十九", 9999 }, { "一万", 10000 },
  { "一万零一", 10001 }, { "一万零十二", 10012 }, { "一万零一百", 10100 },
  { "十万", 100000 }, { "十万零一", 100001 }, { "一百万", 1000000 },
  { "一千万", 10000000 }, { "一亿", 100000000 }, { "十亿", 1000000000 },
  { "一万亿", 1000000000000 }, { "两百", 200 }, { "两千", 2000 },
  { "两万", 20000 }, { "两亿", 200000000 }, { "一万两千", 12000 },
  { "两千两百", 2200 }, { "三千零二十", 3020 },
  -- zeros: one 零 bridges any gap
  { "一亿零一", 100000001 }, { "一亿零一万", 100010000 },
  { "一万零五", 10005 }, { "三十万零五百", 300500 },
  -- abbreviated forms: the digit after the last unit is one place lower
  { "三万五", 35000 }, { "两百五", 250 }, { "一千二", 1200 }, { "一亿五", 150000000 },
  { "三万四", 34000 }, { "五百三", 530 },
  -- big units
  { "一万五千亿", 1500000000000 }, { "一亿零五百万", 105000000 },
  { "三亿二千万", 320000000 }, { "一万万", 100000000 }, { "五万万", 500000000 },
  -- decimals
  { "零点五", 0.5 }, { "十二点五", 12.5 }, { "三点一四", 3.14 },
  { "十二点五万", 125000 }, { "一点五亿", 150000000 }, { "零点零五", 0.05 },
  { "十点五", 10.5 }, { "十点五万", 105000 }, { "二十点零五", 20.05 }, { "一百点五", 100.5 },
  -- traditional characters
  { "兩萬", 20000 }, { "一億", 100000000 }, { "三萬五千", 35000 },
  { "貳拾", 20 }, { "十二點五", 12.5 }, { "兩個", nil, nil, "error" },
  -- financial digits
  { "壹佰贰拾叁", 123 }, { "叁仟肆佰伍拾陆", 3456 }, { "柒拾捌", 78 },
  { "玖亿捌仟万", 980000000 }, { "陆佰", 600 }, { "壹万元整", 10000, "元" },
  { "贰拾万元整", 200000, "元" }, { "拾贰", 12 }, { "陸佰零伍", 605 },
  -- mixed Arabic and Chinese
  { "4.52万", 45200 }, { "2亿5千万", 250000000 }, { "3万4000", 34000 },
  { "1.2万亿", 1200000000000 }, { "420万", 4200000 }, { "3000亿", 300000000000 },
  { "5千", 5000 }, { "12000万", 120000000 }, { "2亿3000万", 230000000 },
  { "0.5亿元", 50000000, "元" }, { "1.5千米", 1.5, "千米" }, { "3百分点", 3, "百分点" },

  -- units
  { "3个百分点", 3, "个百分点" }, { "5公里", 5, "公里" }, { "80平方米", 80, "平方米" },
  { "120亩", 120, "亩" }, { "3吨", 3, "吨" }, { "8家", 8, "家" }, { "2所", 2, "所" },
  { "6项", 6, "项" }, { "9位", 9, "位" }, { "一批", 1, "批" }, { "4册", 4, "册" },
  { "12期", 12, "期" }, { "3座", 3, "座" }, { "20辆", 20, "辆" }, { "5台", 5, "台" },
  { "3场", 3, "场" }, { "10篇", 10, "篇" }, { "2套", 2, "套" }, { "18岁", 18, "岁" },
  { "2周", 2, "周" }, { "3小时", 3, "小时" }, { "45分钟", 45, "分钟" },
  { "2倍", 2, "倍" }, { "两个小时", 2, "个小时" }, { "100万元", 1000000, "元" },
  { "5000美元", 5000, "美元" }, { "3次", 3, "次" }, { "10周年", 10, "周年" },
  { "80年代", 80, "年代" }, { "1990年代", 1990, "年代" }, { "三年级", 3, "年级" },

  -- qualifiers: approx
  { "约3000人", 3000, "人", "approx" }, { "大约3000人", 3000, "人", "approx" },
  { "大概两年", 2, "年", "approx" }, { "50岁左右", 50, "岁", "approx" },
  { "20人上下", 20, "人", "approx" }, { "约50万人左右", 500000, "人", "approx" },
  -- nearly
  { "将近一年", 1, "年", "nearly" }, { "接近100人", 100, "人", "nearly" },
  { "近一半", nil, nil, "error" },
  -- over: 余 and 多 after the number, between the number and its scale,
  -- after a time unit; 超过, 逾, 高于 before it
  { "十多年", 10, "年", "over" }, { "二十多万", 200000, nil, "over" },
  { "三千多万", 30000000, nil, "over" }, { "一百多", 100, nil, "over" },
  { "百余人", 100, "人", "over" }, { "千余名", 1000, "名", "over" },
  { "一个多月", 1, "个月", "over" }, { "两个多小时", 2, "个小时", "over" },
  { "3年多", 3, "年", "over" }, { "10余年", 10, "年", "over" },
  { "1.5万多", 15000, nil, "over" }, { "十余万", 100000, nil, "over" },
  { "超过5万元", 50000, "元", "over" }, { "逾100万", 1000000, nil, "over" },
  { "高于5%", 5, "%", "over" }, { "超10万", 100000, nil, "over" },
  -- at least (inclusive)
  { "至少3次", 3, "次", "at_least" }, { "不低于90%", 90, "%", "at_least" },
  { "5万元以上", 50000, "元", "at_least" }, { "30%及以上", 30, "%", "at_least" },
  { "县级以上", nil, nil, "error" },
  -- at most
  { "不超过10人", 10, "人", "at_most" }, { "至多3个", 3, "个", "at_most" },
  { "18岁以下", 18, "岁", "at_most" }, { "3公里以内", 3, "公里", "at_most" },
  { "三天内", 3, "天", "at_most" }, { "最多5次", 5, "次", "at_most" },
  { "2个月内", 2, "个月", "at_most" },
  -- under (exclusive upper bound)
  { "不到10人", 10, "人", "under" }, { "不足5%", 5, "%", "under" },
  { "低于3000元", 3000, "元", "under" }, { "少于两周", 2, "周", "under" },

  -- ranges, with the scale and the unit distributed over both ends
  { "10～20万元", 100000, "元", "range", 100000, 200000 },
  { "两到三万", 20000, nil, "range", 20000, 30000 },
  { "3至5年", 3, "年", "range", 3, 5 },
  { "1-2个", 1, "个", "range", 1, 2 },
  { "30%-40%", 30, "%", "range", 30, 40 },
  { "30～40%", 30, "%", "range", 30, 40 },
  { "5000至2万", 5000, nil, "range", 5000, 20000 },
  { "1至2万", 10000, nil, "range", 10000, 20000 },
  { "1.5至2亿元", 150000000, "元", "range", 150000000, 200000000 },
  { "百分之三十到四十", 30, "%", "range", 30, 40 },
  { "10~20人", 10, "人", "range", 10, 20 },
  { "1—3天", 1, "天", "range", 1, 3 },
  { "三至五个", 3, "个", "range", 3, 5 },
  { "约10～20万", 100000, nil, "range", 100000, 200000 },
  { "5万元至10万元", 50000, "元", "range", 50000, 100000 },
  { "20到30岁左右", 20, "岁", "range", 20, 30 },

  -- percentages
  { "30%", 30, "%" }, { "３０％", 30, "%" }, { "12.5%", 12.5, "%" },
  { "百分之三十", 30, "%" }, { "百分之百", 100, "%" }, { "百分之一百", 100, "%" },
  { "百分之五点五", 5.5, "%" }, { "三成", 30, "%" }, { "两成", 20, "%" },
  { "3成", 30, "%" }, { "千分之五", 5, "‰" },

  -- fractions
  { "五分之一", 0.2 }, { "三分之一", 1 / 3 }, { "三分之二", 2 / 3 },
  { "2/3", 2 / 3 }, { "１/４", 0.25 }, { "十分之一", 0.1 }, { "三分之二以上", 2 / 3, nil, "at_least" },

  -- 半 (half): 半 + a unit, a whole number + a time unit + 半, number + 个半 + 月/小时
  { "半年", 0.5, "年" }, { "半个月", 0.5, "个月" }, { "半天", 0.5, "天" },
  { "半小时", 0.5, "小时" }, { "半个小时", 0.5, "个小时" }, { "半分钟", 0.5, "分钟" },
  { "半周", 0.5, "周" }, { "半世纪", 0.5, "世纪" }, { "半斤", 0.5, "斤" },
  { "半公里", 0.5, "公里" }, { "半个", 0.5, "个" }, { "半个百分点", 0.5, "个百分点" },
  { "一年半", 1.5, "年" }, { "1年半", 1.5, "年" }, { "两年半", 2.5, "年" },
  { "一天半", 1.5, "天" }, { "三岁半", 3.5, "岁" }, { "十年半", 10.5, "年" },
  { "两个半小时", 2.5, "个小时" }, { "三个半月", 3.5, "个月" },
  { "一个半月", 1.5, "个月" }, { "2个半小时", 2.5, "个小时" },
  { "近半年", 0.5, "年", "nearly" }, { "约半小时", 0.5, "小时", "approx" },
  { "不到半年", 0.5, "年", "under" }, { "半年多", 0.5, "年", "over" },
  { "半个多月", 0.5, "个月", "over" }, { "半年内", 0.5, "年", "at_most" },
  { "一年半以上", 1.5, "年", "at_least" }, { "一年半内", 1.5, "年", "at_most" },
  { "半年至一年", 0.5, "年", "range", 0.5, 1 },
  { "一年至一年半", 1, "年", "range", 1, 1.5 },
  { "一半", nil, nil, "error" }, { "近半数", nil, nil, "error" },
}

local DATES = {
  -- text, year, month, day, to = {year, month, day}
  { "2011年12月", 2011, 12 },
  { "4月25日", nil, 4, 25 },
  { "1月", nil, 1 },
  { "十二月", nil, 12 },
  { "二〇一一年", 2011 },
  { "二零一二年", 2012 },
  { "贰零壹壹年", 2011 },
  { "2012年07月01日", 2012, 7, 1 },
  { "2011年", 2011 },
  { "1000年", 1000 },
  { "11年12月", 11, 12 },
  { "二〇一一年十二月", 2011, 12 },
  { "十二月二十五日", nil, 12, 25 },
  { "4月25号", nil, 4, 25 },
  { "25日", nil, nil, 25 },
  { "1月中旬", nil, 1 },
  { "12月份", nil, 12 },
  { "2011年初", 2011 },
  { "5月底", nil, 5 },
  { "2011年底", 2011 },
  { "2012-07-01", 2012, 7, 1 },
  { "2012/7/1", 2012, 7, 1 },
  { "2012年2月29日", 2012, 2, 29 },
  { "6月18日至19日", nil, 6, 18, { nil, 6, 19 } },
  { "6月18日至7月2日", nil, 6, 18, { nil, 7, 2 } },
  { "2019年至2021年", 2019, nil, nil, { 2021 } },
  { "2019至2021年", 2019, nil, nil, { 2021 } },
  { "2019-2021年", 2019, nil, nil, { 2021 } },
  { "18至19日", nil, nil, 18, { nil, nil, 19 } },
  { "4月至6月", nil, 4, nil, { nil, 6 } },
  { "3至5月", nil, 3, nil, { nil, 5 } },
  { "2011年12月至2012年3月", 2011, 12, nil, { 2012, 3 } },
  { "2012年6月18日至19日", 2012, 6, 18, { 2012, 6, 19 } },
}

-- { text, what the message must mention }
local ERRORS = {
  { "", "empty" },
  { "约", "expected a number after '约'" },
  { "近", "expected a number" },
  { "个", "expected a number, found '个'" },
  { "以上", "expected a number" },
  { "万元", "without a digit" },
  -- a date without its day reads as a range of two numbers, 2012 to 07
  { "2012-07-", "range start is larger than its end" },
  { "2012-07-x", "range start is larger than its end" },
  -- units out of order, repeated units
  { "一十百", "unit '百' out of order" },
  { "三百四十五十", "repeated unit '十'" },
  { "十十", "repeated unit '十'" },
  { "五千六千", "repeated unit '千'" },
  { "三万四万", "repeated unit '万'" },
  { "一亿二亿", "repeated unit '亿'" },
  { "百十", "without a digit" },
  -- zeros
  { "一百零", "dangling '零'" },
  { "一千零零五", "doubled '零'" },
  { "一万零", "dangling '零'" },
  { "零百", "leading '零'" },
  -- 两
  { "两十", "两" },
  { "十两", "两" },
  { "一百两", "两" },
  -- fractions
  { "1/0", "zero denominator" },
  { "零分之一", "zero denominator" },
  { "1.5/2", "whole numbers" },
  -- malformed decimals and groups
  { "1.2.3", "second decimal point" },
  { "三万五点五", "abbreviated" },
  { "1,2345", "thousands group" },
  { "12,34", "thousands group" },
  { "1,234,56", "thousands group" },
  { "1234,567", "thousands group" },
  -- idioms that are not numbers
  { "亿万", "'亿' without a digit" },
  { "万一", "'万' without a digit" },
  { "千万", "without a digit" },
  -- digit by digit is only a year
  { "二〇一一", "must be a year" },
  { "一二三", "must be a year" },
  -- dates
  { "13月", "month 13 out of range" },
  { "2011年13月", "month 13 out of range" },
  { "2月30日", "day 30 out of range" },
  { "2011年2月29日", "day 29 out of range" },
  { "32日", "day 32 out of range" },
  { "6月19日至18日", "does not end after" },
  { "2011年至3月", "must continue its start" },
  { "约2011年", "date takes no qualifier" },
  { "2012/13/1", "malformed date" },
  -- overflow
  { "99999999999999999999", "too large" },
  { "9223372036854775809", "too large" },
  { "100000000万亿", "too large" },
  { "0.12345678901234567891", "significant digits" },
  -- qualifiers and ranges
  { "近50万多", "conflicting qualifiers" },
  { "不到10人以上", "conflicting qualifiers" },
  { "10～20万元以上", "cannot qualify a range" },
  { "20至10", "larger than its end" },
  { "3年至5个", "different units" },
  { "10余至20", "unexpected '至'" },
  -- 半 not followed by a unit, idioms made with 半
  { "半", "'半' must be followed by a unit" },
  { "半数", "'半' must be followed by a unit" },
  { "半岛", "'半' must be followed by a unit" },
  { "半导体", "'半' must be followed by a unit" },
  { "半夜", "'半' must be followed by a unit" },
  { "半路", "'半' must be followed by a unit" },
  { "半边天", "'半' must be followed by a unit" },
  { "半月", "'半' must be followed by a unit" },
  { "半斤八两", "'半斤' is not a quantity" },
  { "半人马", "'半人' is not a quantity" },
  { "一半", "unexpected '半' after '一'" },
  { "多半", "expected a number, found '多'" },
  { "大半", "expected a number, found '大'" },
  { "一年半载", "unexpected '半' after '一年'" },
  { "一点半", "unexpected '点'" },
  { "1.5年半", "unexpected '半'" },
  { "十多年半", "unexpected '半'" },
  -- trailing text
  { "3个苹果", "unexpected '苹' after '3个'" },
  { "5公里内", "unexpected '内'" },
  { "一点", "unexpected '点'" },
  { "30% ", "unexpected ' '" },
  { " 30%", "expected a number, found ' '" },
  { "\255", "invalid UTF-8" },
  { "3\255", "invalid UTF-8 at byte offset 1" },
}

describe("core.quantity", function()
  describe("numbers", function()
    for _, c in ipairs(NUMBERS) do
      local text, value, unit, qual, min, max = c[1], c[2], c[3], c[4] or "exact", c[5], c[6]
      if qual == "error" then
        it("rejects " .. text, function()
          local q, err = core.quantity(text)
          assert.is_nil(q)
          assert.is_string(err)
        end)
      else
        it(text, function()
          local q, err = core.quantity(text)
          assert.is_userdata(q, err)
          assert.equal("number", q.kind)
          assert.is_true(close(q.value, value),
                         ("value %s, expected %s"):format(tostring(q.value), tostring(value)))
          assert.equal(unit, q.unit)
          assert.equal(qual, q.qualifier)
          assert.equal(text, q.text)
          if qual ~= "range" then min, max = bounds(qual, value) end
          -- (tostring: 5.1's %s takes no nil)
          assert.is_true(close(q.min, min), ("min %s, expected %s"):format(tostring(q.min), tostring(min)))
          assert.is_true(close(q.max, max), ("max %s, expected %s"):format(tostring(q.max), tostring(max)))
          if compat.math_type(value) == "integer" and math.abs(value) < 2 ^ 53 then
            assert.equal("integer", compat.math_type(q.value))
          end
        end)
      end
    end
  end)

  describe("dates", function()
    for _, c in ipairs(DATES) do
      it(c[1], function()
        local q, err = core.quantity(c[1])
        assert.is_userdata(q, err)
        assert.equal("date", q.kind)
        assert.equal(c[2], q.year)
        assert.equal(c[3], q.month)
        assert.equal(c[4], q.day)
        assert.is_nil(q.value)
        if c[5] then
          assert.equal("range", q.qualifier)
          assert.same({ year = c[5][1], month = c[5][2], day = c[5][3] }, q.to)
        else
          assert.equal("exact", q.qualifier)
          assert.is_nil(q.to)
        end
      end)
    end

    it("a four-digit year is a date, a small count with 年 a duration", function()
      assert.equal("date", core.quantity("2011年").kind)
      assert.equal("number", core.quantity("3年").kind)
      assert.equal("number", core.quantity("5年").kind)
      assert.equal("number", core.quantity("一年").kind)
      assert.equal("number", core.quantity("十年").kind)
      assert.equal("number", core.quantity("3000多年").kind)
      assert.equal("number", core.quantity("1.5年").kind)
      assert.equal("date", core.quantity("二〇一一年").kind)
    end)

    it("3个月 is a duration, 3月 a month", function()
      assert.same({ "number", 3, "个月" }, { core.quantity("3个月").kind, core.quantity("3个月").value,
                                           core.quantity("3个月").unit })
      assert.equal(3, core.quantity("3月").month)
    end)
  end)

  describe("errors", function()
    for _, c in ipairs(ERRORS) do
      it(("rejects %q: %s"):format(c[1], c[2]), function()
        local q, err = core.quantity(c[1])
        assert.is_nil(q)
        assert.is_string(err)
        assert.truthy(err:find(c[2], 1, true), err)
        assert.truthy(err:find("character %d+") or err:find("byte offset %d+"), err)
      end)
    end

    it("says where: the character and the byte offset", function()
      local _, err = core.quantity("一十百")
      assert.truthy(err:find("at character 3 (byte offset 6)", 1, true), err)
      _, err = core.quantity("1.2.3")
      assert.truthy(err:find("at character 4 (byte offset 3)", 1, true), err)
      _, err = core.quantity("约")
      assert.truthy(err:find("at the end of the input", 1, true), err)
    end)

    it("keeps long messages valid UTF-8, cut at a character with '...'", function()
      local n = "三百四十五万六千七百八十九亿两千三百四十五万六千七百八十九"
      local m = "四百四十五万六千七百八十九亿两千三百四十五万六千七百八十九"
      for _, s in ipairs { n .. "至" .. m .. "余个x", n .. "个至" .. m .. "个x",
                           "约" .. n .. "至" .. m .. "元左右x" } do
        local q, err = core.quantity(s)
        assert.is_nil(q)
        assert.is_truthy(utf8.len(err), err)
        assert.truthy(err:find("...' at character", 1, true) or err:find("... at character", 1, true),
                      err)
      end
      for _, c in ipairs(ERRORS) do
        local _, err = core.quantity(c[1])
        assert.is_truthy(utf8.len(err), err)
      end
    end)

    it("raises on a non-string argument", function()
      assert.has_error(function() core.quantity() end)
      assert.has_error(function() core.quantity({}) end)
      assert.has_error(function() core.quantity(30) end)
      local ok, err = pcall(core.quantity, nil)
      assert.is_false(ok)
      assert.truthy(tostring(err):find("string expected", 1, true))
    end)
  end)

  describe("tricky cases", function()
    it("4.52万 is exactly the integer 45200", function()
      local q = core.quantity("4.52万")
      assert.equal(45200, q.value)
      assert.equal("integer", compat.math_type(q.value))
      assert.equal("integer", compat.math_type(q.min))
    end)

    it("folds decimal scales exactly", function()
      for _, c in ipairs { { "0.07万", 700 }, { "1.23亿", 123000000 }, { "8.001万", 80010 },
                           { "0.0001万", 1 }, { "19.99亿", 1999000000 }, { "2.675万", 26750 } } do
        local q = core.quantity(c[1])
        assert.equal(c[2], q.value)
        assert.equal("integer", compat.math_type(q.value), c[1])
      end
    end)

    it("keeps non-integral values as floats", function()
      assert.equal("float", compat.math_type(core.quantity("0.5").value))
      assert.equal("float", compat.math_type(core.quantity("1/5").value))
      assert.equal(0.1, core.quantity("0.1").value)
      assert.equal(0.3, core.quantity("0.3").value)
    end)

    it("values from 2^53 on are floats, 2^63 is the limit", function()
      assert.equal("integer", compat.math_type(core.quantity("9007199254740991").value))
      assert.equal("float", compat.math_type(core.quantity("9007199254740992").value))
      assert.equal("float", compat.math_type(core.quantity("9007199254740993").value))
      assert.equal(2.0 ^ 63, core.quantity("9223372036854775808").value)
      assert.is_nil(core.quantity("9223372036854775809"))
    end)

    it("一万五千亿, 一亿零五百万, 2亿5千万", function()
      assert.equal(1500000000000, core.quantity("一万五千亿").value)
      assert.equal(105000000, core.quantity("一亿零五百万").value)
      assert.equal(250000000, core.quantity("2亿5千万").value)
    end)

    it("三万五, 两百五, 零点五", function()
      assert.equal(35000, core.quantity("三万五").value)
      assert.equal(250, core.quantity("两百五").value)
      assert.equal(0.5, core.quantity("零点五").value)
      assert.equal(10005, core.quantity("一万零五").value)
    end)

    it("两 leads but does not count tens", function()
      assert.equal(2, core.quantity("两个").value)
      assert.equal(2200, core.quantity("两千两百").value)
      assert.is_nil(core.quantity("两十"))
      assert.is_nil(core.quantity("二十两"))
    end)

    it("半 values are exact", function()
      for _, c in ipairs { { "半年", 0.5 }, { "一年半", 1.5 }, { "两个半小时", 2.5 },
                           { "三个半月", 3.5 }, { "99999年半", 99999.5 } } do
        local q = core.quantity(c[1])
        assert.equal(c[2], q.value)
        assert.equal("float", compat.math_type(q.value), c[1])
        assert.same({ c[2], c[2] }, { q.min, q.max })
      end
    end)

    it("returns a new Quantity each time, equal to the other, text as given", function()
      local a, b = core.quantity("3个"), core.quantity("3个")
      assert.is_false(rawequal(a, b))
      assert.is_true(a == b)
      assert.same(a:totable(), b:totable())
      assert.equal("3个", a.text)
    end)

    it("leaves open bounds nil", function()
      local q = core.quantity("约5人")
      assert.is_nil(q.min)
      assert.is_nil(q.max)
      q = core.quantity("近5人")
      assert.is_nil(q.min)
      assert.equal(5, q.max)
      q = core.quantity("5人")
      assert.equal("人", q.unit)
      assert.same({ 5, 5 }, { q.min, q.max }) -- exact: closed on both sides
    end)
  end)

  describe("agrees with a reference writer of Chinese numerals", function()
    local D = { [0] = "零", "一", "二", "三", "四", "五", "六", "七", "八", "九" }
    local U = { "千", "百", "十", "" }

    -- n in 1..9999 written in full; zeros inside become one 零
    local function section(n)
      local idiv = compat.idiv -- n // d (the operator does not parse before Lua 5.3)
      local digits = { idiv(n, 1000) % 10, idiv(n, 100) % 10, idiv(n, 10) % 10, n % 10 }
      local out, started, zero = {}, false, false
      for i = 1, 4 do
        local d = digits[i]
        if d == 0 then
          zero = started
        else
          if zero then out[#out + 1] = "零" end
          out[#out + 1] = D[d] .. U[i]
          started, zero = true, false
        end
      end
      return table.concat(out)
    end

    local function chinese(n)
      if n == 0 then return "零" end
      local parts, groups = {}, { { 100000000, "亿" }, { 10000, "万" } }
      local rest, written = n, false
      for _, g in ipairs(groups) do
        local k = compat.idiv(rest, g[1])
        if k > 0 then
          if written and k < 1000 then parts[#parts + 1] = "零" end
          parts[#parts + 1] = chinese(k) .. g[2]
          written = true
        end
        rest = rest % g[1]
      end
      if rest > 0 then
        if written and rest < 1000 then parts[#parts + 1] = "零" end
        parts[#parts + 1] = section(rest)
      end
      local s = table.concat(parts)
      return (s:gsub("^一十", "十"))
    end

    it("0 .. 99999 (and the 一十 form)", function()
      for n = 0, 99999 do
        local s = chinese(n)
        local q = core.quantity(s)
        if not q or q.value ~= n then
          local why = q and q.value or select(2, core.quantity(s))
          error(("%d written %s parsed as %s"):format(n, s, why))
        end
        if s:find("^十") then
          assert.equal(n, core.quantity("一" .. s).value)
        end
      end
    end)

    it("large numbers (deterministic sample up to 10^16)", function()
      local x = 12345
      for _ = 1, 20000 do
        x = (x * 1103515245 + 12345) % 2147483648
        local n = compat.idiv((x * 7919 + compat.idiv(x, 3)) % 10 ^ (x % 16 + 1), 1)
        n = compat.tointeger(n)
        local s = chinese(n)
        local q, err = core.quantity(s)
        assert(q and q.value == n, ("%d written %s: %s"):format(n, s, q and q.value or err))
      end
    end)

    it("Chinese decimals agree with Arabic ones", function()
      local x = 5
      for _ = 1, 20000 do
        x = (x * 1103515245 + 12345) % 2147483648
        local n, frac = x % 100000, tostring(x % 1000)
        local s = chinese(n) .. "点" .. frac:gsub("%d", function(d) return D[tonumber(d)] end)
        local q, err = core.quantity(s)
        local want = tonumber(n .. "." .. frac)
        assert(q and q.value == want, s .. ": " .. tostring(q and q.value or err))
      end
    end)

    it("Arabic numbers, plain and grouped", function()
      local x = 99
      for _ = 1, 20000 do
        x = (x * 1103515245 + 12345) % 2147483648
        local n = x * (x % 1000)
        local plain = tostring(n)
        local grouped = plain:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
        assert.equal(n, core.quantity(plain).value)
        assert.equal(n, core.quantity(grouped).value)
      end
    end)
  end)
end)

-- The result object: a read-only userdata with the fields the plain table
-- of earlier versions had (nil where it had no key).
describe("siqun.Quantity", function()
  local pairs = compat.pairs -- honours __pairs on every Lua

  local function keys(q)
    local out = {}
    for k, v in pairs(q) do
      assert.equal(q[k], v, k) -- (the `to` table: the same on every access)
      out[#out + 1] = k
    end
    return out
  end

  it("is a userdata named siqun.Quantity", function()
    local q = assert(core.quantity("近50万名"))
    assert.equal("userdata", type(q))
    assert.equal("siqun.Quantity", debug.getmetatable(q).__name)
    assert.equal("siqun.Quantity", getmetatable(q)) -- the name, never the metatable
    assert.equal("siqun.Quantity: 近50万名", tostring(q))
    assert.equal("siqun.Quantity: 6月18日至19日", tostring(core.quantity("6月18日至19日")))
  end)

  it("has every field of a number, nil where open or absent", function()
    local q = assert(core.quantity("近50万名"))
    assert.same({ "number", 500000, "nearly", "名", "近50万名" },
                { q.kind, q.value, q.qualifier, q.unit, q.text })
    assert.is_nil(q.min)
    assert.equal(500000, q.max)
    assert.equal("integer", compat.math_type(q.max))
    for _, k in ipairs { "year", "month", "day", "to", "start", "stop", "nosuch", "Value" } do
      assert.is_nil(q[k], k)
    end
    assert.is_nil(q[1])
    assert.is_nil(q[true])
    assert.is_nil(q[q])
    q = assert(core.quantity("10～20万元"))
    assert.same({ "range", 100000, 200000, 100000, "元" }, { q.qualifier, q.value, q.max, q.min, q.unit })
    q = assert(core.quantity("1/5"))
    assert.same({ 0.2, 0.2, 0.2 }, { q.value, q.min, q.max })
    assert.equal("float", compat.math_type(q.value))
    assert.is_nil(q.unit)
    q = assert(core.quantity("约3000人次"))
    assert.same({ "approx", 3000, "人次" }, { q.qualifier, q.value, q.unit })
    assert.is_nil(q.min)
    assert.is_nil(q.max)
  end)

  it("has every field of a date, nil where the text omits it", function()
    local d = assert(core.quantity("6月18日至19日"))
    assert.same({ "date", "range", 6, 18, "6月18日至19日" }, { d.kind, d.qualifier, d.month, d.day, d.text })
    assert.is_nil(d.year)
    assert.same({ month = 6, day = 19 }, d.to) -- (the parts the end inherits too)
    for _, k in ipairs { "value", "unit", "min", "max", "start", "stop" } do
      assert.is_nil(d[k], k)
    end
    d = assert(core.quantity("2011年12月"))
    assert.same({ "exact", 2011, 12 }, { d.qualifier, d.year, d.month })
    assert.is_nil(d.day)
    assert.is_nil(d.to)
  end)

  it("gives the same `to` table on every access", function()
    local d = assert(core.quantity("2019年至2021年"))
    local to = d.to
    assert.same({ year = 2021 }, to)
    assert.is_true(rawequal(to, d.to))
    assert.is_true(rawequal(to, d.to))
    assert.is_false(rawequal(core.quantity("2019年至2021年").to, to)) -- one per result
  end)

  it("totable gives a new plain table with exactly the fields", function()
    local q = assert(core.quantity("近50万名"))
    local t = q:totable()
    assert.equal("table", type(t))
    assert.is_nil(getmetatable(t))
    assert.same({ kind = "number", value = 500000, qualifier = "nearly", unit = "名", max = 500000,
                  text = "近50万名" }, t)
    assert.is_false(rawequal(t, q:totable()))
    t.value = 1 -- a copy: q is unchanged
    assert.equal(500000, q.value)
    assert.same({ kind = "number", value = 1000, qualifier = "exact", min = 1000, max = 1000,
                  text = "1000" }, core.quantity("1000"):totable())
    local d = assert(core.quantity("2012年6月18日至7月1日"))
    t = d:totable()
    assert.same({ kind = "date", qualifier = "range", year = 2012, month = 6, day = 18,
                  to = { year = 2012, month = 7, day = 1 }, text = "2012年6月18日至7月1日" }, t)
    assert.is_false(rawequal(t.to, d.to)) -- a new `to` too
    assert.same({ kind = "date", qualifier = "exact", year = 2012, text = "2012年" },
                core.quantity("2012年"):totable())
  end)

  it("pairs gives the present fields in a fixed order", function()
    assert.same({ "kind", "value", "qualifier", "unit", "min", "max", "text" },
                keys(core.quantity("54.29万本")))
    assert.same({ "kind", "value", "qualifier", "unit", "max", "text" }, keys(core.quantity("近50万名")))
    assert.same({ "kind", "value", "qualifier", "text" }, keys(core.quantity("约3")))
    assert.same({ "kind", "qualifier", "year", "month", "day", "to", "text" },
                keys(core.quantity("2012年6月18日至7月1日")))
    assert.same({ "kind", "qualifier", "month", "text" }, keys(core.quantity("3月")))
    local q = core.quantity("3个")
    local iter, state, init = debug.getmetatable(q).__pairs(q)
    assert.is_nil(init)
    assert.equal("kind", (iter(state, nil)))
    assert.equal("text", (iter(state, "max")))
    assert.is_nil(iter(state, "text"))
    assert.has_error(function() iter(state, "nosuch") end, "invalid key to 'next'")
    assert.has_error(function() iter(state, "year") end, "invalid key to 'next'") -- not a number's
    assert.has_error(function() iter(state, 1) end, "invalid key to 'next'")
  end)

  it("is read-only", function()
    local q = assert(core.quantity("3个"))
    assert.has_error(function() q.value = 4 end, "siqun.Quantity is read-only")
    assert.has_error(function() q.new = 1 end, "siqun.Quantity is read-only")
    assert.has_error(function() rawset(q, "value", 4) end)
    assert.equal(3, q.value)
    assert.has_error(function() q.to.day = 1 end) -- no `to`: nil
  end)

  it("compares equal when every field is", function()
    local a = assert(core.quantity("近50万名"))
    assert.is_true(a == core.quantity("近50万名"))
    assert.is_false(a == core.quantity("近50万人"))   -- unit
    assert.is_false(a == core.quantity("50万名"))     -- qualifier, bounds
    assert.is_false(a == core.quantity("近60万名"))   -- value
    assert.is_false(a == core.quantity("近五十万名")) -- text only
    assert.is_false(core.quantity("10～20万") == core.quantity("10～30万")) -- max
    assert.is_false(core.quantity("10～20万") == core.quantity("20万")) -- qualifier
    assert.is_true(core.quantity("6月18日至19日") == core.quantity("6月18日至19日"))
    assert.is_false(core.quantity("6月18日至19日") == core.quantity("6月18日至20日")) -- to
    assert.is_false(core.quantity("6月18日") == core.quantity("6月19日"))
    assert.is_false(core.quantity("2012年") == core.quantity("2012")) -- kind
    assert.is_false(a == a:totable())
    assert.is_false(debug.getmetatable(a).__eq(a, {}))
    assert.is_false(debug.getmetatable(a).__eq("x", a))
    for q in core.scan("近50万名") do
      assert.is_false(q == a) -- a scan result has start and stop
      assert.same(a:totable(), (function() local t = q:totable() t.start, t.stop = nil, nil return t end)())
    end
  end)

  it("keeps the argument string as its text", function()
    local s = "约" .. "12.5万人"
    local q = assert(core.quantity(s))
    assert.equal(s, q.text)
    assert.equal("siqun.Quantity: 约12.5万人", tostring(q))
  end)

  it("refuses a wrong self in every method, never crashing", function()
    local q = assert(core.quantity("3个"))
    local mt = debug.getmetatable(q)
    local rec = assert(require("siqun").open()).figures[1]
    assert.has_error(function() q.totable(5) end,
                     "bad argument #1 to 'totable' (siqun.Quantity expected, got number)")
    assert.has_error(function() q.totable({}) end,
                     "bad argument #1 to 'totable' (siqun.Quantity expected, got table)")
    assert.has_error(function() q.totable(rec) end,
                     "bad argument #1 to 'totable' (siqun.Quantity expected, got siqun.Record)")
    assert.has_error(function() q.totable() end,
                     "bad argument #1 to 'totable' (siqun.Quantity expected, got no value)")
    local thread = coroutine.create(function() end)
    for _, wrong in ipairs { false, 0, "3个", {}, print, io.stdout, rec, thread } do
      for name, f in pairs { totable = q.totable, __index = mt.__index, __tostring = mt.__tostring,
                             __pairs = mt.__pairs } do
        local ok, err = pcall(f, wrong, "value")
        assert.is_false(ok, name)
        assert.truthy(tostring(err):find("bad argument #1 to '[%w_?]+' %(siqun%.Quantity expected, got "),
                      name .. ": " .. tostring(err))
      end
      local iter = mt.__pairs(q)
      assert.is_false((pcall(iter, wrong)))
    end
  end)
end)
