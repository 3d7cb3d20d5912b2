-- The HTML reports rendered by headless Chromium: the DOM after loading
-- (the pages have no script, so this is the parsed page) must hold the
-- inline SVG charts, their bars and a figure's value.  Without Chromium the
-- spec is pending.

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua (siqun.compat)
local V = require "spec.lua_version"
local siqun = require "siqun"
local report = require "siqun.report"

local art = assert(siqun.open())

local function sh(cmd)
  local p = assert(V.popen(cmd))
  local out = p:read("*a")
  local _, _, code = p:close()
  return out, code
end

local function find_chromium()
  for _, name in ipairs { "chromium", "chromium-browser", "google-chrome" } do
    local out, code = sh("command -v " .. name .. " 2>/dev/null")
    if code == 0 and out ~= "" then return (out:gsub("%s+$", "")) end
  end
  return nil
end

local FLAGS = "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
  .. "--disable-background-networking --disable-component-update --disable-sync"

-- The DOM Chromium builds from the HTML text.
local function render(chromium, html)
  local dir = sh("mktemp -d"):gsub("%s+$", "")
  local path = dir .. "/page.html"
  local f = assert(io.open(path, "wb"))
  f:write(html)
  f:close()
  local dom, code = sh(("timeout 60 %s %s --user-data-dir=%s/profile --dump-dom 'file://%s' "
                        .. "2>/dev/null"):format(chromium, FLAGS, dir, path))
  V.execute("rm -rf '" .. dir .. "'")
  return dom, code
end

-- Occurrences of the plain string needle in s.
local function count(s, needle)
  local n, pos = 0, 1
  while true do
    local i, j = s:find(needle, pos, true)
    if not i then return n end
    n, pos = n + 1, j + 1
  end
end

describe("HTML in Chromium", function()
  local chromium = find_chromium()
  if not chromium then
    pending("chromium is not installed (apt-get install chromium): HTML rendering not checked")
    return
  end

  it("renders the figures report with its log-scale chart and values", function()
    local doc = report.build("figures", art)
    local dom, code = render(chromium, report.html(doc))
    assert.equal(0, code)
    assert.matches("<svg", dom, 1, true)
    assert.equal(1, count(dom, '<svg class="chart bar"'))
    assert.matches('data-scale="log"', dom, 1, true)
    local bars = 0
    for _, b in ipairs(doc.blocks) do
      if b.kind == "chart" then bars = bars + #b.data end
    end
    assert.equal(bars, count(dom, '<g class="bar"'))
    assert.equal(bars, count(dom, "<rect "))
    -- a figure's value, as a table cell and as a bar's data
    local f = art.figures:get("study_books")
    assert.matches('<td class="num" data-value="542900">542,900</td>', dom, 1, true)
    assert.matches('<g class="bar" data-value="542900"><title>', dom, 1, true)
    assert.matches(f.text, dom, 1, true)
    assert.equal(#art.figures, count(dom, "<tr>") - 1)
  end)

  it("renders the quotas report with one chart per activity", function()
    local dom, code = render(chromium, report.run("quotas", art, "html"))
    assert.equal(0, code)
    assert.equal(2, count(dom, '<svg class="chart bar"'))
    assert.equal(2, count(dom, 'data-scale="linear"'))
    assert.matches(art.quotas:get("stay_township").text, dom, 1, true)
    assert.matches("(unit: " .. art.quotas:get("stay_township").unit .. ")", dom, 1, true)
  end)
end)
