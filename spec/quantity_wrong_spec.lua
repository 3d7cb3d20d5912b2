-- Issue 14's rule, "never a confident wrong answer", on the cases that
-- were confidently wrong: a scan reports a quantity only when its span
-- covers the whole expression it belongs to.  Texts written for this spec.
local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua (siqun.compat)
local core = require "siqun.core"

-- The scan of text as "text=value" strings, in order.
local function found(text)
  local out = {}
  for q in core.scan(text) do
    out[#out + 1] = q.text .. "=" .. tostring(q.value)
  end
  return out
end

describe("a scan never reports part of a longer expression", function()
  -- each text and its expression: the scan reports nothing of it, or it
  -- whole (the parser reads some of them, below)
  local cases = {
    { "总数是5万4千6百个", "5万4千6百个" },  -- not 6百 (600)
    { "账上记着负10000元", "负10000元" },     -- not 10000
    { "他买了一吨半煤", "一吨半" },           -- not 一吨
    { "只有三成半的人来了", "三成半" },       -- not 三成 (30%)
    { "一共五元三毛钱", "五元三毛" },         -- not 五元
    { "一共5元3角钱", "5元3角" },             -- nor 3角 after it
    { "系数是.5左右", ".5左右" },             -- not 5
    { "写成2e5也行", "2e5" },                 -- not 2 and 5
    { "月薪40k以上", "40k以上" },             -- not 40
    { "信箱sample0123@example.com收信", "" }, -- not 123
    { "链接http://x.cn/a%28b打不开", "" },    -- not 28
    { "版本1.2.3发布", "" },                  -- not 1.2
    { "下降了−22.2%", "−22.2%" },             -- not 22.2% (U+2212)
    { "温度是-12度", "-12" },                 -- not 12
    { "病毒H7N9和COVID-19", "" },             -- codes, not amounts
  }
  for _, c in ipairs(cases) do
    it(c[1], function()
      for q in core.scan(c[1]) do assert.equal(c[2], q.text) end
    end)
  end

  it("finds adjacent quantities whole (共1.5万亿2.5万亿)", function()
    assert.same({ "1.5万亿=1500000000000", "2.5万亿=2500000000000" },
                found("共1.5万亿2.5万亿"))
    assert.same({ "3万=30000", "2.5万=25000" }, found("先3万2.5万"))
  end)

  -- near misses: what is next to a quantity but not part of it
  it("still finds the quantity when what is next to it is no part of it", function()
    assert.same({ "5万人=50000" }, found("来了5万人"))
    assert.same({ "5万4千=54000" }, found("共5万4千。"))
    assert.same({ "40=40" }, found("月薪40，以上"))
    assert.same({ "123=123" }, found("编号 123 号"))
    assert.same({ "五元=5", "三个=3" }, found("五元三个")) -- 三个: no part of the money
    assert.same({ "3-5人=3" }, found("有3-5人"))   -- a range: its '-' is no sign
    assert.same({ "0.5=0.5" }, found("约为0.5"))
    assert.same({ "两个=2" }, found("两个半人"))  -- 半人: a word of its own
  end)

  it("a scan from a position after a match reads on from there", function()
    local t = "1.5万亿2.5万亿"
    local out = {}
    for q in core.scan(t, 10) do out[#out + 1] = q.text end
    assert.same({ "2.5万亿" }, out)
  end)
end)

-- value, min, max and unit of a parse, or nil and its message
local function parsed(text)
  local q, err = core.quantity(text)
  if not q then return nil, err end
  return { q.value, q.min, q.max, q.unit }
end

describe("abbreviated numerals with Arabic digits and lone scales", function()
  local cases = {
    { "3万5", 35000 }, { "1万5", 15000 }, { "3亿5", 350000000 }, { "8千3", 8300 },
    { "5万4千6百", 54600 }, { "千三", 1300 }, { "万五", 15000 }, { "百五", 150 },
    { "万五千", 15000 }, { "3万4", 34000 },
    -- more than one digit after the scale is no abbreviation
    { "3万4000", 34000 }, { "3万05", 30005 }, { "2亿5千万", 250000000 },
  }
  for _, c in ipairs(cases) do
    it(c[1] .. " = " .. c[2], function()
      assert.same({ c[2], c[2], c[2] }, { core.quantity(c[1]).value,
                                          core.quantity(c[1]).min, core.quantity(c[1]).max })
    end)
  end

  it("reads them in running text", function()
    assert.same({ "3万5人=35000", "8千3份=8300" }, found("来了3万5人，发了8千3份。"))
    assert.same({ "5万4千6百个=54600" }, found("共5万4千6百个"))
  end)

  it("refuses the near misses with a message", function()
    for _, t in ipairs { "1.5万3", "8千35", "万", "千", "万两", "万一" } do
      local q, err = core.quantity(t)
      assert.is_nil(q, t)
      assert.is_string(err)
    end
  end)
end)

describe("signs", function()
  local cases = {
    { "负三十二", -32 }, { "负零点五", -0.5 }, { "-1200", -1200 },
    { "−22.2%", -22.2, "%" }, { "－8", -8 }, { "负10000元", -10000, "元" },
    { "+5", 5 }, { "＋5", 5 },
  }
  for _, c in ipairs(cases) do
    it(c[1], function()
      assert.same({ c[2], c[2], c[2], c[3] }, parsed(c[1]))
      local got = found("这次是" .. c[1] .. "。")
      assert.same({ c[1] .. "=" .. tostring(c[2]) }, got)
    end)
  end

  it("keeps the bounds a qualifier gives on the negative value", function()
    local q = core.quantity("超过-5")
    assert.same({ -5, -5, nil }, { q.value, q.min, q.max })
    assert.same({ "约-5=-5" }, found("约-5。"))
  end)

  it("is no sign inside a range, a code or a word", function()
    assert.same({ "3-5人=3" }, found("有3-5人"))
    assert.same({}, found("胜三负二"))   -- 二 after 负 alone is no quantity
    assert.same({}, found("编号A-12"))
    assert.same({ "3至5万=30000" }, found("有3至5万"))
  end)

  it("refuses a signed range, a date with a sign and a lone sign", function()
    for _, t in ipairs { "-3至5", "负2011年", "负", "-" } do
      local q, err = core.quantity(t)
      assert.is_nil(q, t)
      assert.is_string(err)
    end
    assert.matches("range with a signed bound", select(2, core.quantity("-3至5")))
    assert.same({}, found("气温-3至5度"))  -- neither -3 nor 5
  end)
end)

describe("currencies", function()
  it("日元 is money, never a date", function()
    assert.same({ 10, 10, 10, "日元" }, parsed("10日元"))
    assert.same({ 1e12, 1e12, 1e12, "日元" }, parsed("1万亿日元"))
    assert.same({ "10日元=10" }, found("花了10日元买"))
    assert.equal("date", core.quantity("10日").kind)  -- the day itself stays a date
  end)

  local units = { "日元", "美元", "港元", "港币", "欧元", "英镑", "台币", "新台币", "韩元", "泰铢" }
  for _, u in ipairs(units) do
    it("300" .. u, function()
      assert.same({ 300, 300, 300, u }, parsed("300" .. u))
    end)
  end

  it("5306亿台币 has the unit 台币, 5台 still 台", function()
    assert.same({ 530600000000, 530600000000, 530600000000, "台币" }, parsed("5306亿台币"))
    assert.equal("台", core.quantity("5台").unit)
  end)
end)

describe("a trailing half and mixed numbers", function()
  it("一吨半 is 1.5 吨, 三成半 35%", function()
    assert.same({ 1.5, 1.5, 1.5, "吨" }, parsed("一吨半"))
    assert.same({ 35, 35, 35, "%" }, parsed("三成半"))
    assert.same({ 1.5, 1.5, 1.5, "斤" }, parsed("一斤半"))
    assert.same({ "一吨半=1.5", "三成半=35" }, found("买了一吨半煤，只有三成半的人来。"))
  end)

  it("leaves a 半 that starts a word, and 十成 has no half", function()
    assert.same({ "一年=1" }, found("一年半载"))
    assert.same({ "两个=2" }, found("两个半人"))
    assert.same({ "一成=10" }, found("一成半数"))
    assert.is_nil(core.quantity("十成半"))
    assert.same({}, found("十成半。"))
  end)

  it("refuses 三百五十又3分之1 and reports no part of it", function()
    local q, err = core.quantity("三百五十又3分之1")
    assert.is_nil(q)
    assert.matches("又", err)
    assert.same({}, found("共三百五十又3分之1。"))
    assert.same({}, found("共三百五十又三分之一。"))
    assert.same({}, found("付了两美元又3美分。"))
    assert.same({ "3个月=3" }, found("他又3个月没来"))  -- 又 the adverb: 3个月 stands
  end)
end)
