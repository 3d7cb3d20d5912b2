-- core.scan(text [, init]): the quantities of running text, in order, with
-- their 1-based byte positions.
local compat = require "siqun.compat"
local utf8 = compat.utf8
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua (siqun.compat)
local core = require "siqun.core"

local function scan(text, init)
  local out = {}
  for q in core.scan(text, init) do out[#out + 1] = q end
  return out
end

local function texts(text)
  local out = {}
  for q in core.scan(text) do out[#out + 1] = q.text end
  return out
end

-- A paragraph written for this spec (not taken from any article).
local PARAGRAPH = table.concat {
  "老百姓说，这个村子一起修路的事一定要办好。",
  "2009年3月，村里有近50万名游客来过，比上年多出约12.5万人；",
  "修路花了35.5亿元中的一小部分，实际投入不少于420万元。",
  "工作组在4月25日进村，6月18日至19日开了两次会，会期不超过3天。",
  "万一下雨，一线人员和一些志愿者要把一批材料搬进三个仓库，",
  "统一在一个月内整理完，最迟5年内全部建成。",
  "调查显示，三成住户收入增长30%以上，五分之一的家庭买了两辆车，",
  "村里的十街乡客人、四群活动和三深入讨论都被记录下来。",
  "二〇一一年十二月，人均收入达到1,234.5元，户数在10～20万之间。",
}

local EXPECTED = {
  "2009年3月", "近50万名", "约12.5万人", "35.5亿元", "不少于420万元",
  "4月25日", "6月18日至19日", "两次", "不超过3天", "一批", "三个",
  "一个月内", "5年内", "三成", "30%以上", "五分之一", "两辆",
  "二〇一一年十二月", "1,234.5元", "10～20万",
}

-- Ordinary words made with numeral characters: none is a quantity.
local ORDINARY = {
  "老百姓", "一起", "一定", "统一", "万一", "一线", "一些", "十街乡", "四群",
  "三深入", "唯一", "一致", "一般", "一直", "一切", "一旦", "一下", "一方面",
  "一部分", "进一步", "一点点", "千万", "百姓", "亿万富翁", "十分重要",
  "一成不变", "星期一", "周一至周五", "初一", "第一", "第三个", "第十二届",
  "十二五规划", "五四运动", "三三两两", "一一对应", "数十万", "几百", "十几万",
  "陆家嘴", "伍先生", "收拾", "一国两制", "两岸", "三农", "一把手", "一度",
  "一块儿", "接近一半", "四联户", "三同",
  -- 半 (half) not before a unit, or in an idiom
  "半数", "一半", "半岛", "半导体", "多半", "大半", "半夜", "半路", "半边天",
  "近半数", "过半", "一半以上", "半斤八两", "上半年", "下半年", "大半年", "小半年",
  "后半夜", "前半生", "三点半", "半人马", "半元音", "半月谈", "两半",
}

describe("core.scan", function()
  it("finds the quantities of a paragraph, in order", function()
    assert.same(EXPECTED, texts(PARAGRAPH))
  end)

  it("positions are 1-based byte offsets of the text", function()
    for _, q in ipairs(scan(PARAGRAPH)) do
      assert.equal(q.text, PARAGRAPH:sub(q.start, q.stop))
    end
  end)

  it("reads what it finds as core.quantity does", function()
    for _, q in ipairs(scan(PARAGRAPH)) do
      local p = assert(core.quantity(q.text))
      local t = q:totable()
      t.start, t.stop = nil, nil
      assert.same(p:totable(), t)
    end
  end)

  it("values in the paragraph", function()
    local got = scan(PARAGRAPH)
    assert.equal("date", got[1].kind)
    assert.same({ 2009, 3 }, { got[1].year, got[1].month })
    assert.same({ 500000, "名", "nearly", 500000 },
                { got[2].value, got[2].unit, got[2].qualifier, got[2].max })
    assert.same({ 125000, "人", "approx" }, { got[3].value, got[3].unit, got[3].qualifier })
    assert.equal(3550000000, got[4].value)
    assert.same({ 4200000, "元", "at_least" }, { got[5].value, got[5].unit, got[5].qualifier })
    assert.same({ 6, 18 }, { got[7].month, got[7].day })
    assert.same({ month = 6, day = 19 }, got[7].to)
    assert.same({ 100000, 200000, "range" }, { got[20].min, got[20].max, got[20].qualifier })
  end)

  describe("does not match ordinary words", function()
    for _, w in ipairs(ORDINARY) do
      it(w, function()
        assert.same({}, texts(w))
        assert.same({}, texts("他们说" .. w .. "的事。"))
      end)
    end
  end)

  describe("finds quantities in a sentence", function()
    local CASES = {
      { "三个反思", "三个", 3 }, { "近50万名", "近50万名", 500000 },
      { "有86.81万人次参加", "86.81万人次", 868100 },
      { "增加1479支", "1479支", 1479 }, { "1万多个", "1万多个", 10000 },
      { "花了420余万元", "420余万元", 4200000 }, { "约360万张", "约360万张", 3600000 },
      { "达999.5万", "999.5万", 9995000 }, { "占近30%", "近30%", 30 },
      { "用了1/5", "1/5", 0.2 }, { "培训不少于1个月", "不少于1个月", 1 },
      { "读了一年", "一年", 1 }, { "干了3年", "3年", 3 }, { "六个方面", "六个", 6 },
      { "两到三万人", "两到三万人", 20000 }, { "约10～20万元", "约10～20万元", 100000 },
      { "来了百余人", "百余人", 100 }, { "用了两个多小时", "两个多小时", 2 },
      { "有五十多岁", "五十多岁", 50 }, { "百分之三十的人", "百分之三十", 30 },
      { "三分之一的人", "三分之一", 1 / 3 }, { "价格是３０％", "３０％", 30 },
      { "总数2亿5千万", "2亿5千万", 250000000 }, { "壹万元整", "壹万元整", 10000 },
      { "他18岁以下", "18岁以下", 18 }, { "不到10人", "不到10人", 10 },
      { "逾100万", "逾100万", 1000000 }, { "将近一年", "将近一年", 1 },
      { "高出5个百分点", "5个百分点", 5 }, { "约50岁左右", "约50岁左右", 50 },
      { "第3名", "3名", 3 }, { "从3至5年", "3至5年", 3 },
    }
    for _, c in ipairs(CASES) do
      it(c[1], function()
        local got = scan(c[1] .. "。")
        assert.equal(1, #got)
        assert.equal(c[2], got[1].text)
        assert.near(c[3], got[1].value, 1e-12)
      end)
    end
  end)

  describe("半 (half)", function()
    -- { sentence, match, value, unit, qualifier (default exact) }
    local CASES = {
      { "工作了半年", "半年", 0.5, "年" }, { "在这半年中", "半年", 0.5, "年" },
      { "半年来，各级", "半年", 0.5, "年" }, { "用了半个月", "半个月", 0.5, "个月" },
      { "等了半天", "半天", 0.5, "天" }, { "休息半小时", "半小时", 0.5, "小时" },
      { "开了半个小时", "半个小时", 0.5, "个小时" }, { "买了半斤肉", "半斤", 0.5, "斤" },
      { "下降半个百分点", "半个百分点", 0.5, "个百分点" },
      { "读了一年半", "一年半", 1.5, "年" }, { "干了1年半", "1年半", 1.5, "年" },
      { "开了两个半小时", "两个半小时", 2.5, "个小时" },
      { "住了三个半月", "三个半月", 3.5, "个月" }, { "过了一个半月", "一个半月", 1.5, "个月" },
      { "孩子三岁半了", "三岁半", 3.5, "岁" }, { "再过半年", "半年", 0.5, "年" },
      { "近半年来", "近半年", 0.5, "年", "nearly" },
      { "约半小时后", "约半小时", 0.5, "小时", "approx" },
      { "用了半年多", "半年多", 0.5, "年", "over" },
      { "等了半个多月", "半个多月", 0.5, "个月", "over" },
      { "半年内建成", "半年内", 0.5, "年", "at_most" },
      { "工期一年半以上", "一年半以上", 1.5, "年", "at_least" },
      { "用了半年至一年", "半年至一年", 0.5, "年", "range" },
    }
    for _, c in ipairs(CASES) do
      it(c[1], function()
        local got = scan(c[1] .. "。")
        assert.equal(1, #got)
        assert.same({ c[2], c[3], c[4], c[5] or "exact" },
                    { got[1].text, got[1].value, got[1].unit, got[1].qualifier })
        assert.equal(c[1]:find(c[2], 1, true), got[1].start)
      end)
    end

    it("a trailing 半 that starts a word is left out", function()
      assert.same({ "一年" }, texts("一年半载"))
      assert.same({ "一天", "半天" }, texts("一天半天"))
      assert.same({ "19年" }, texts("19年半导体"))
      assert.same({ "三个" }, texts("三个半天"))
      assert.same({ "两个" }, texts("两个半人"))
    end)

    it("three 半年 in a paragraph, none of the idioms", function()
      assert.same({ "半年", "半年", "半年" },
                  texts("开展半年时间。在这半年中，多半是大半年的半数。半年来，半岛半夜无事。"))
    end)
  end)

  describe("dates", function()
    it("4月25日 and a date range", function()
      local got = scan("会议在4月25日召开，活动定于6月18日至19日。")
      assert.same({ "4月25日", "6月18日至19日" }, { got[1].text, got[2].text })
      assert.same({ month = 6, day = 19 }, got[2].to)
    end)

    it("1月中旬 is the date 1月", function()
      local got = scan("定在1月中旬完成")
      assert.equal(1, #got)
      assert.equal(1, got[1].month)
      assert.truthy(got[1].text:find("^1月"))
    end)

    it("a year and a year range", function()
      assert.same({ "2011年" }, texts("2011年起"))
      assert.same({ "2019年至2021年" }, texts("从2019年至2021年间"))
      assert.equal("2012年07月01日", texts("时间2012年07月01日07:34")[1])
    end)
  end)

  describe("qualifiers are part of the match", function()
    for _, c in ipairs {
      { "有近50万名", "近50万名", "nearly" }, { "约3000人", "约3000人", "approx" },
      { "不少于60天", "不少于60天", "at_least" }, { "5万元以上", "5万元以上", "at_least" },
      { "超过5万元", "超过5万元", "over" }, { "至多3个", "至多3个", "at_most" },
      { "不足5%", "不足5%", "under" }, { "50人左右", "50人左右", "approx" },
    } do
      it(c[2], function()
        local got = scan(c[1])
        assert.equal(c[2], got[1].text)
        assert.equal(c[3], got[1].qualifier)
        assert.equal(c[1]:find(c[2], 1, true), got[1].start)
      end)
    end
  end)

  describe("the iterator", function()
    it("starts at init (1-based, negative from the end)", function()
      local s = "3个和5个"
      assert.same({ "3个", "5个" }, texts(s))
      local got = scan(s, 2)
      assert.equal(1, #got)
      assert.equal("5个", got[1].text)
      assert.equal(#s - 3, got[1].start)
      assert.same(scan(s, 2), scan(s, -(#s - 1)))
      assert.same({}, scan(s, #s + 10))
      assert.same(scan(s), scan(s, -1000))
    end)

    it("keeps the text alive", function()
      local it_ = core.scan(("x"):rep(10) .. " 3个")
      collectgarbage()
      collectgarbage()
      local q = it_()
      assert.equal("3个", q.text)
      assert.is_nil(it_())
      assert.is_nil(it_())
    end)

    it("raises on a non-string text", function()
      assert.has_error(function() core.scan() end)
      assert.has_error(function() core.scan({}) end)
      assert.has_error(function() core.scan("x", "y") end)
    end)

    it("skips invalid UTF-8", function()
      local got = texts("\255\254近50万名\192\128和\2373个")
      assert.same({ "近50万名", "3个" }, got)
    end)

    it("Arabic numbers always match, unless glued to ASCII letters (a code)", function()
      assert.same({}, texts("H7N9和COVID-19"))
      assert.same({ "12", "345" }, texts("12和345"))
    end)
  end)

  describe("results", function()
    local pairs = compat.pairs -- honours __pairs on every Lua

    local function keys(q)
      local out = {}
      for k, v in pairs(q) do
        assert.equal(q[k], v, k)
        out[#out + 1] = k
      end
      return out
    end

    local S = "会上发放约2万份材料，6月18日至19日开会。"

    it("are read-only siqun.Quantity userdata with start and stop", function()
      local got = scan(S)
      assert.equal(2, #got)
      local q, d = got[1], got[2]
      assert.equal("userdata", type(q))
      assert.equal("siqun.Quantity", debug.getmetatable(q).__name)
      assert.same({ 13, 22, "约2万份" }, { q.start, q.stop, q.text })
      assert.equal(q.text, S:sub(q.start, q.stop))
      assert.equal("integer", compat.math_type(q.start))
      assert.equal("siqun.Quantity: 约2万份", tostring(q))
      assert.same({ kind = "number", value = 20000, qualifier = "approx", unit = "份", text = "约2万份",
                    start = 13, stop = 22 }, q:totable())
      assert.same({ "kind", "value", "qualifier", "unit", "text", "start", "stop" }, keys(q))
      assert.same({ kind = "date", qualifier = "range", month = 6, day = 18, to = { month = 6, day = 19 },
                    text = "6月18日至19日", start = 32, stop = 48 }, d:totable())
      assert.same({ "kind", "qualifier", "month", "day", "to", "text", "start", "stop" }, keys(d))
      assert.has_error(function() q.start = 1 end, "siqun.Quantity is read-only")
      assert.has_error(function() d.to = {} end, "siqun.Quantity is read-only")
    end)

    it("give the same `to` table on every access", function()
      local d = scan(S)[2]
      assert.is_true(rawequal(d.to, d.to))
      assert.is_false(rawequal(d.to, d:totable().to))
      assert.is_false(rawequal(d.to, scan(S)[2].to))
    end)

    it("compare equal with the same quantity at the same place", function()
      local a, b = scan(S), scan(S)
      assert.is_false(rawequal(a[1], b[1]))
      assert.is_true(a[1] == b[1])
      assert.is_true(a[2] == b[2])
      assert.is_false(a[1] == a[2])
      assert.is_false(a[1] == core.quantity("约2万份")) -- no start and stop
      local c = scan("x" .. S)                          -- the same text one byte on
      assert.is_false(a[1] == c[1])
      assert.is_false(a[2] == c[2])
      assert.same(scan("3个3个")[1]:totable().text, scan("3个3个")[2]:totable().text)
      assert.is_false(scan("3个3个")[1] == scan("3个3个")[2])
    end)
  end)

  describe("robustness", function()
    -- L'Ecuyer's combined LCG (every product below 2^53, so the same
    -- sequence on every Lua, integers or not); r(n) is in 0 .. n-1
    local function rng(seed)
      local s1, s2 = seed % 2147483562 + 1, seed % 2147483398 + 1
      return function(n)
        s1 = 40014 * s1 % 2147483563
        s2 = 40692 * s2 % 2147483399
        local z = (s1 - s2) % 2147483562
        return z % n
      end
    end

    local function check_scan(s)
      local last = 0
      for q in core.scan(s) do
        assert(q.start > last and q.stop >= q.start, "positions go forward")
        assert(s:sub(q.start, q.stop) == q.text)
        last = q.stop
      end
    end

    local function check_parse(s, r)
      local i = 1
      while i <= #s do
        local n = 1 + r(24)
        local q, err = core.quantity(s:sub(i, i + n - 1))
        assert(q == nil and type(err) == "string" or type(q) == "userdata")
        i = i + n
      end
    end

    it("1 MB of random bytes", function()
      local r = rng(7)
      local t = {}
      for i = 1, 2 ^ 20 do t[i] = string.char(r(256)) end
      local s = table.concat(t)
      assert.equal(2 ^ 20, #s)
      check_scan(s)
      check_parse(s, r)
    end)

    it("1 MB of random CJK numerals, units, qualifiers and digits", function()
      local pieces = {}
      for _, c in utf8.codes("零〇一二三四五六七八九十百千万亿两壹贰叁拾佰仟萬億點点余多个年月日人元" ..
                             "万元至到约近不少于以上左右分之成%％～-.,/0123456789０１２半天") do
        pieces[#pieces + 1] = utf8.char(c)
      end
      local r = rng(11)
      local t, size = {}, 0
      while size < 2 ^ 20 do
        local p = pieces[1 + r(#pieces)]
        t[#t + 1] = p
        size = size + #p
      end
      local s = table.concat(t)
      check_scan(s)
      check_parse(s, r)
    end)

    -- Inputs built to make a backtracking scanner quadratic.  Their timing
    -- (1 MB against 10 MB) is measured by `make stress` (bench/stress.lua),
    -- not here: a timed test would fail on a loaded machine.
    it("ends on inputs built to be slow", function()
      local total = 0
      for _, s in ipairs {
        ("1"):rep(300000), ("一"):rep(100000), ("近"):rep(100000),
        ("1至"):rep(100000), ("一万"):rep(100000), ("1,"):rep(100000),
        ("1."):rep(100000), ("十二五"):rep(50000), ("约1"):rep(100000),
        ("二〇"):rep(100000), ("百分之"):rep(50000), "三点" .. ("零"):rep(200000),
        "1." .. ("0"):rep(500000), ("不少于"):rep(50000) .. "1", ("1,234"):rep(100000),
      } do
        for q in core.scan(s) do
          assert.equal(s:sub(q.start, q.stop), q.text)
          total = total + 1
        end
      end
      assert.is_true(total > 0)
    end)
  end)
end)
