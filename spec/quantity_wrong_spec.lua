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
  -- each text, and what the scan may report of it (nothing, or the whole)
  local cases = {
    { "总数是5万4千6百个", {} },            -- not 6百 (600)
    { "账上记着负10000元", {} },            -- not 10000
    { "他买了一吨半煤", {} },               -- not 一吨
    { "只有三成半的人来了", {} },           -- not 三成 (30%)
    { "一共五元三毛钱", {} },               -- not 五元
    { "一共5元3角钱", {} },                 -- nor 3角 after it
    { "系数是.5左右", {} },                 -- not 5
    { "写成2e5也行", {} },                  -- not 2 and 5
    { "月薪40k以上", {} },                  -- not 40
    { "信箱sample0123@example.com收信", {} }, -- not 123
    { "链接http://x.cn/a%28b打不开", {} },  -- not 28
    { "版本1.2.3发布", {} },               -- not 1.2
    { "下降了−22.2%", {} },                -- not 22.2%
    { "温度是-12度", {} },                  -- not 12
    { "病毒H7N9和COVID-19", {} },           -- codes, not amounts
  }
  for _, c in ipairs(cases) do
    it(c[1], function() assert.same(c[2], found(c[1])) end)
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
