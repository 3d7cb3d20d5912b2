-- The runnable examples of the docs (README.md, docs/*.md): every ```lua
-- block, and every ```sh block whose first line is "$ bin/siqun ...",
-- followed (with only blank space between) by a ```text block that shows
-- its output.  spec/readme_spec.lua checks them; spec/update_docs.lua
-- writes the real output into a doc after a deliberate change.
--
--   local docs = require "spec.helper.docs"
--   for _, ex in ipairs(docs.examples(text)) do ... ex.lang, ex.code, ex.out,
--     ex.out_s, ex.out_e (the byte range of the shown output in text) end
--   docs.output(ex)   what the example prints now (CRLF shown as LF)

local V = require "spec.lua_version"

local M = {}

M.FILES = { "README.md", "docs/query.md", "docs/api.md", "docs/reports.md",
            "docs/quantities.md" }

-- The documents are Lua 5.4 programs: run with lua5.4 and the 5.4 build,
-- whichever Lua runs the suite (README "Lua versions").  COLUMNS from the
-- caller's shell would change the command line's text output.
M.ENV = "env -u COLUMNS LUA_PATH_5_4='lua/?.lua;lua/?/init.lua;;' LUA_CPATH_5_4='build/?.so;;'"

function M.run(cmd)
  local p = assert(V.popen(cmd .. " 2>&1"))
  local out = p:read("*a")
  p:close()
  return out
end

-- Fenced blocks in order; an example is a lua or sh block followed, with
-- only blank space between, by a text block.
function M.examples(doc)
  local blocks, pos = {}, 1
  while true do
    -- (a block holding ``` is fenced with ````)
    local s, e, fence, lang, body = doc:find("(````?)(%w*)\n(.-)%1\n?", pos)
    if not s then break end
    local bs = s + #fence + #lang + 1 -- the body's first byte
    blocks[#blocks + 1] = { s = s, e = e, lang = lang, body = body, bs = bs,
                            be = bs + #body - 1 }
    pos = e + 1
  end
  local found = {}
  for i = 1, #blocks - 1 do
    local a, b = blocks[i], blocks[i + 1]
    if (a.lang == "lua" or a.lang == "sh") and b.lang == "text"
        and doc:sub(a.e + 1, b.s - 1):match("^%s*$") then
      found[#found + 1] = { lang = a.lang, code = a.body, out = b.body,
                            out_s = b.bs, out_e = b.be }
    end
  end
  return found
end

-- The source text an example needs (nil when it needs none).
function M.needs(ex)
  return ex.code:match("%.%./shared/seeds/[%w_%.]+")
end

--- What example ex prints now.
function M.output(ex)
  local got
  if ex.lang == "lua" then
    local path = os.tmpname()
    local f = assert(io.open(path, "wb"))
    f:write(ex.code)
    f:close()
    got = M.run(M.ENV .. " lua5.4 " .. path)
    os.remove(path)
  elseif ex.lang == "sh" then
    local cmd = ex.code:match("^%$ ([^\n]+)")
    assert(cmd, "a sh example starts with '$ '")
    got = M.run(M.ENV .. " " .. cmd)
  else
    error("unknown example language " .. ex.lang)
  end
  -- CSV output ends its lines in CRLF (RFC 4180); the docs show LF.
  return (got:gsub("\r\n", "\n"))
end

return M
