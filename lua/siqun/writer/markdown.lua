--- siqun.writer.markdown: a report document as GitHub-flavoured Markdown.
-- Tables are pipe tables (numbers right-aligned); charts become a fenced
-- text block drawn as the text writer draws them; text is escaped so that
-- no cell or paragraph turns into markup or raw HTML.
--
-- opts.group: thousands separator ("," by default, "" for none).

local common = require "siqun.writer.common"
local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs (through __index) on every Lua

local M = { name = "markdown", extension = "md", mediatype = "text/markdown; charset=utf-8" }

-- Inline text: backslash-escape what Markdown would read as markup
-- (\ ` * _ at a word edge, [ ] < > and a leading # + - or "1.").
-- Escapes inside a line.
local function inline(s)
  s = common.printable(s)
  s = s:gsub("[\\`%*%[%]<>]", "\\%0")
  s = s:gsub("%f[%w_]_", "\\_"):gsub("_%f[^%w_]", "\\_")
  return s
end

-- A line that starts a block: also what would open a heading or a list.
local function line(s)
  s = inline(s):gsub("^([#+%-])", "\\%1"):gsub("^(%d+)([.)])", "%1\\%2")
  return s
end

local function cell(s)
  s = inline(s):gsub("|", "\\|"):gsub("\r?\n", "<br>"):gsub("\t", " ")
  return s
end

local function para(s)
  -- hard line breaks inside a paragraph stay breaks
  local lines = {}
  for l in (s .. "\n"):gmatch("(.-)\n") do lines[#lines + 1] = line(l) end
  return table.concat(lines, "  \n")
end

--- The document as Markdown (final newline).
function M.write(doc, opts)
  doc = common.prepare(doc, 2)
  opts = opts or {}
  local out = {}
  local function block(s) out[#out + 1] = s end
  if doc.title ~= "" then block("# " .. inline(doc.title)) end
  if doc.subtitle then block("*" .. inline(doc.subtitle) .. "*") end
  for _, b in ipairs(doc.blocks) do
    if b.kind == "heading" then
      block(("#"):rep(math.min(6, b.level)) .. " " .. inline(b.text))
    elseif b.kind == "para" then
      block(para(b.text))
    elseif b.kind == "list" then
      local items = {}
      for i, it in ipairs(b.items) do items[i] = "- " .. para(it):gsub("\n", "\n  ") end
      block(table.concat(items, "\n"))
    elseif b.kind == "table" then
      local lines = {}
      if b.caption then lines[#lines + 1] = "**" .. inline(b.caption) .. "**\n" end
      local head, rule = {}, {}
      for c, col in ipairs(b.columns) do
        head[c] = cell(col.title)
        rule[c] = common.numeric(col) and "---:" or "---"
      end
      lines[#lines + 1] = "| " .. table.concat(head, " | ") .. " |"
      lines[#lines + 1] = "| " .. table.concat(rule, " | ") .. " |"
      for _, row in ipairs(b.rows) do
        local cells = {}
        for c, col in ipairs(b.columns) do
          cells[c] = cell(tostring(common.cell_text(row[col.name], opts, col)))
        end
        lines[#lines + 1] = "| " .. table.concat(cells, " | ") .. " |"
      end
      block(table.concat(lines, "\n"))
    elseif b.kind == "chart" then
      local drawn = require("siqun.writer.text").write({ blocks = { b } },
        { width = 0, group = opts.group, bar = opts.bar })
      local first, rest = drawn:match("^([^\n]*)\n(.*)$")
      local run = 2
      for ticks in rest:gmatch("`+") do run = math.max(run, #ticks) end
      local fence = ("`"):rep(run + 1)
      block("**" .. inline(first) .. "**\n\n" .. fence .. "text\n" .. rest .. fence)
    end
  end
  return table.concat(out, "\n\n") .. "\n"
end

return M
