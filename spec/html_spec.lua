-- The HTML reports rendered by headless Chromium.  First the DOM after
-- loading (--dump-dom: the pages have no script, so this is the parsed
-- page) must hold the inline SVG charts, their bars and a figure's value.
-- Then every built-in report is loaded at 1200 and 400 CSS pixels wide, in
-- light and dark mode, through the DevTools protocol (spec/helper/cdp.lua),
-- and measured in the rendered page: no page-level horizontal scroll,
-- chart and body text at least 10 px as drawn, Chinese text marked
-- lang="zh" and English text not, a dark background in dark mode, web
-- addresses as links, chart text inside its chart, a cut label's full text
-- in its tooltip.  Without Chromium the spec is pending.
--
-- SIQUN_HTML_SHOTS=DIR also writes a PNG of each page to DIR, for a look.

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
    -- one chart, drawn in the wide and the narrow layout
    assert.equal(1, count(dom, '<svg class="chart bar wide"'))
    assert.equal(1, count(dom, '<svg class="chart bar narrow"'))
    assert.matches('data-scale="log"', dom, 1, true)
    local bars = 0
    for _, b in ipairs(doc.blocks) do
      if b.kind == "chart" then bars = bars + #b.data end
    end
    assert.equal(2 * bars, count(dom, '<g class="bar"'))
    assert.equal(2 * bars, count(dom, "<rect "))
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
    assert.equal(2, count(dom, '<svg class="chart bar wide"'))
    assert.equal(4, count(dom, 'data-scale="linear"'))
    assert.matches(art.quotas:get("stay_township").text, dom, 1, true)
    assert.matches('(unit: <span lang="zh">' .. art.quotas:get("stay_township").unit
                   .. "</span>)", dom, 1, true)
  end)
end)

-- What the specs measure in a rendered page, as one JSON text.  Text nodes
-- that are drawn (getClientRects) are measured; a tooltip (<title>) is not
-- drawn.  SVG text's size as drawn is its font size times the scale of its
-- screen transform (the viewBox).
local PROBE = [==[
(function () {
  var de = document.documentElement;
  var r = { innerWidth: window.innerWidth, clientWidth: de.clientWidth,
            scrollWidth: de.scrollWidth, svgMin: null, svgMinText: null, svgTexts: 0,
            bodyMin: null, bodyMinText: null, hanWithoutZh: [], latinInZh: [],
            bareUrls: [], outside: [], cut: 0, cutWithoutTitle: [] };
  function drawn(el) { return el.getClientRects().length > 0; }
  var han = /\p{Script=Han}/u;
  var walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (var n = walk.nextNode(); n; n = walk.nextNode()) {
    var el = n.parentElement;
    if (!/\S/.test(n.data) || el.closest('title') || !drawn(el)) continue;
    var px = parseFloat(getComputedStyle(el).fontSize);
    var svg = el.closest('svg');
    if (svg) {
      var m = el.getScreenCTM();
      px = px * Math.hypot(m.a, m.b);
      r.svgTexts++;
      if (r.svgMin === null || px < r.svgMin) { r.svgMin = px; r.svgMinText = n.data; }
      var tb = el.getBoundingClientRect(), sb = svg.getBoundingClientRect();
      if (tb.left < sb.left - 1 || tb.right > sb.right + 1) r.outside.push(n.data);
    } else if (r.bodyMin === null || px < r.bodyMin) {
      r.bodyMin = px; r.bodyMinText = n.data;
    }
    var zh = /^zh\b/i.test((el.closest('[lang]') || de).getAttribute('lang'));
    if (han.test(n.data) && !zh) r.hanWithoutZh.push(n.data);
    if (zh && /[A-Za-z]/.test(n.data)) r.latinInZh.push(n.data);
    if (/https?:\/\//.test(n.data) && !el.closest('a[href]')) r.bareUrls.push(n.data);
  }
  r.links = Array.prototype.map.call(document.querySelectorAll('a[href]'),
                                     function (a) { return a.getAttribute('href'); });
  r.background = getComputedStyle(document.body).backgroundColor;
  r.color = getComputedStyle(document.body).color;
  r.layouts = Array.prototype.filter.call(document.querySelectorAll('svg.chart'), drawn)
                .map(function (s) { return s.getAttribute('class'); });
  // a label cut short ("…") keeps its full text in its mark's tooltip
  document.querySelectorAll('svg.chart g').forEach(function (g) {
    if (!drawn(g)) return;
    var title = g.querySelector('title');
    g.querySelectorAll('text').forEach(function (t) {
      if (!/…$/.test(t.textContent)) return;
      r.cut++;
      var head = t.textContent.slice(0, -1).trim();
      if (!title || title.textContent.indexOf(head) < 0) r.cutWithoutTitle.push(t.textContent);
    });
  });
  return JSON.stringify(r);
})()
]==]

-- A page written to break every rule the probe checks, to show that it sees
-- each breach (a probe that saw nothing would pass every report).
local BAD_PAGE = [[<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>bad</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-size: 9px">
<p>四群 unmarked, and <span lang="zh">English marked as Chinese</span>.</p>
<p>See http://example.org/ in plain text.</p>
<div style="width: 900px">a block wider than a phone</div>
<svg class="chart" viewBox="0 0 1000 100" style="width: 100%"><text x="900" y="50" font-size="40">cut off here</text>
<g><title>no match</title><text x="0" y="80">a label cut short…</text></g></svg>
</body></html>
]]

describe("HTML reports at 1200 and 400 px, light and dark (Chromium, DevTools protocol)", function()
  local cdp = require "spec.helper.cdp"
  local json = require "dkjson"
  local chromium = cdp.find()
  if not chromium then
    pending("chromium is not installed (apt-get install chromium): HTML rendering not checked")
    return
  end
  local shots = os.getenv("SIQUN_HTML_SHOTS")
  local browser, dir, pages
  -- pages[width][dark] = a tab of that size and colour scheme
  setup(function()
    browser = assert(cdp.start(chromium))
    dir = (select(1, sh("mktemp -d")):gsub("%s+$", ""))
    pages = {}
  end)
  teardown(function()
    if browser then browser:close() end
    if dir then V.execute("rm -rf '" .. dir .. "'") end
  end)

  local function page(width, dark)
    pages[width] = pages[width] or {}
    local p = pages[width][dark]
    if not p then
      p = browser:page { width = width, height = 900, dark = dark }
      pages[width][dark] = p
    end
    return p
  end

  -- The measures of html loaded in a tab width wide.
  local function measure(name, html, width, dark)
    local path = ("%s/%s.html"):format(dir, name)
    local f = assert(io.open(path, "wb"))
    f:write(html)
    f:close()
    local p = page(width, dark)
    p:open(path)
    if shots and shots ~= "" then
      p:screenshot(("%s/%s-%d%s.png"):format(shots, name, width, dark and "-dark" or ""))
    end
    return json.decode(p:eval(PROBE))
  end

  it("the probe sees each breach on a page made to break the rules", function()
    local m = measure("bad", BAD_PAGE, 400, false)
    assert.equal(400, m.innerWidth)
    assert.is_true(m.scrollWidth > m.clientWidth, "page-level horizontal scroll")
    assert.is_true(m.bodyMin < 10)
    assert.is_true(m.svgMin < 10)
    assert.same({ "四群 unmarked, and " }, m.hanWithoutZh)
    assert.same({ "English marked as Chinese" }, m.latinInZh)
    assert.same({ "See http://example.org/ in plain text." }, m.bareUrls)
    assert.same({ "cut off here" }, m.outside)
    assert.same({ "a label cut short…" }, m.cutWithoutTitle)
  end)

  for _, name in ipairs(report.BUILTIN) do
    for _, width in ipairs { 1200, 400 } do
      it(("%s at %d px"):format(name, width), function()
        local html = assert(report.run(name, art, "html"))
        local m = measure(name, html, width, false)
        assert.equal(width, m.innerWidth)
        -- nothing scrolls sideways but a table inside its own box
        assert.is_true(m.scrollWidth <= m.clientWidth,
                       ("page %d px wide in a %d px window"):format(m.scrollWidth, m.clientWidth))
        assert.is_true(m.bodyMin >= 10, ("body text at %s px: %s"):format(m.bodyMin, m.bodyMinText))
        if m.svgTexts > 0 then
          assert.is_true(m.svgMin >= 10, ("chart text at %.2f px: %s"):format(m.svgMin,
                                                                              m.svgMinText))
          -- the layout made for the width is the one shown
          for _, class in ipairs(m.layouts) do
            assert.matches(width >= 800 and " wide$" or " narrow$", class)
          end
        end
        assert.same({}, m.outside, "chart text drawn outside its chart")
        assert.same({}, m.cutWithoutTitle, "a cut label without its full text in a tooltip")
        assert.same({}, m.hanWithoutZh, "Chinese text without lang=zh")
        assert.same({}, m.latinInZh, "Latin text marked lang=zh")
        assert.same({}, m.bareUrls, "a web address that is not a link")
        if name == "summary" then
          assert.is_truthy(art.meta.url:find("^https?://"))
          local linked = false
          for _, href in ipairs(m.links) do linked = linked or href == art.meta.url end
          assert.is_true(linked, "the source URL is a link")
        end
        -- dark mode: another background and text colour
        local d = measure(name, html, width, true)
        assert.are_not.equal(m.background, d.background)
        assert.are_not.equal(m.color, d.color)
        assert.same({}, d.hanWithoutZh)
      end)
    end
  end

  it("charts that need one have a picture: the summary opens with a chart, the timeline "
     .. "has a time axis", function()
    local m = measure("timeline", report.run("timeline", art, "html"), 1200, false)
    assert.same({ "chart timeline wide" }, m.layouts)
    local doc = report.build("summary", art)
    assert.equal("chart", doc.blocks[1].kind)
  end)
end)
