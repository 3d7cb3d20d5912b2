--- siqun.writer.markup: text into HTML and SVG markup, escaped, with its
-- Chinese runs marked lang="zh" (siqun.writer.han) so that an English page
-- still renders and reads them as Chinese.

local common = require "siqun.writer.common"
local han = require "siqun.writer.han"

local M = {}

-- The language tag of Chinese runs.
M.ZH = "zh"

local ENT = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }

--- s escaped for HTML text and attribute values (controls other than tab,
-- LF and CR dropped, invalid UTF-8 replaced by U+FFFD).
function M.escape(s)
  s = common.utf8_clean(tostring(s))
  s = s:gsub("[%z\1-\8\11\12\14-\31\127]", "")
  return (s:gsub("[&<>\"']", ENT))
end
local esc = M.escape

--- s as escaped content whose Chinese runs are wrapped in <inner lang="zh">
-- ("span" in HTML, "tspan" in SVG); second result true when s is Chinese
-- as a whole (then nothing is wrapped: the caller marks its element).
-- plain = true: no marking at all (a page whose own language is Chinese).
function M.content(s, inner, plain)
  if plain then return esc(s), false end
  local runs = han.runs(s)
  if #runs == 1 then return esc(s), runs[1].zh end
  local out = {}
  for i, r in ipairs(runs) do
    out[i] = r.zh and ("<%s lang=\"%s\">%s</%s>"):format(inner, M.ZH, esc(r.text), inner)
             or esc(r.text)
  end
  return table.concat(out), false
end

--- <tag attrs>s</tag> with s escaped and its Chinese marked: the element
-- itself gets lang="zh" when s is all Chinese.  attrs: "" or ' class="x"'.
function M.element(tag, attrs, s, inner, plain)
  local body, zh = M.content(s, inner or "span", plain)
  return ("<%s%s%s>%s</%s>"):format(tag, attrs or "", zh and (' lang="' .. M.ZH .. '"') or "",
                                    body, tag)
end

return M
