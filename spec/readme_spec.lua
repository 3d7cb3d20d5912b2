-- Output shown in the README is real output: every ```lua block that is
-- followed by a ```text block is run with lua5.4 from the checkout, and its
-- output must equal the text block.  Shell examples of the CLI (```sh blocks
-- whose first line is "$ bin/siqun ..." followed by a ```text block) too.

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua (siqun.compat)
local V = require "spec.lua_version"

local read = require("spec.helper.files").read

-- The documents are Lua 5.4 programs: run with lua5.4 and the 5.4 build,
-- whichever Lua runs the suite (README "Lua versions").
local ENV = "LUA_PATH_5_4='lua/?.lua;lua/?/init.lua;;' LUA_CPATH_5_4='build/?.so;;'"

local function run(cmd)
  local p = assert(V.popen(cmd .. " 2>&1"))
  local out = p:read("*a")
  p:close()
  return out
end

-- Fenced blocks in order; an example is a lua or sh block followed, with
-- only blank space between, by a text block.
local function examples(doc)
  local blocks, pos = {}, 1
  while true do
    local s, e, lang, body = doc:find("```(%w*)\n(.-)```\n?", pos)
    if not s then break end
    blocks[#blocks + 1] = { s = s, e = e, lang = lang, body = body }
    pos = e + 1
  end
  local found = {}
  for i = 1, #blocks - 1 do
    local a, b = blocks[i], blocks[i + 1]
    if (a.lang == "lua" or a.lang == "sh") and b.lang == "text"
        and doc:sub(a.e + 1, b.s - 1):match("^%s*$") then
      found[#found + 1] = { lang = a.lang, code = a.body, out = b.body }
    end
  end
  return found
end

for _, file in ipairs({ "README.md", "docs/query.md", "docs/api.md" }) do
describe(file, function()
  local doc = read(file)
  local list = examples(doc)

  it("has runnable examples", function()
    assert.is_true(#list >= 3)
  end)

  if file == "README.md" then it("shows the real beginning of the summary", function()
    local shown = doc:match("The%s+summary begins:%s*```text\n(.-)```")
    assert.is_truthy(shown)
    local got = run(ENV .. " lua5.4 bin/siqun summary")
    assert.are.equal(shown, got:sub(1, #shown))
  end) end

  for i, ex in ipairs(list) do
    it(("example %d (%s) prints what the README shows"):format(i, ex.lang), function()
      local needs = ex.code:match("%.%./shared/seeds/[%w_%.]+")
      if needs and not io.open(needs) then
        pending("source text not found at " .. needs .. ": skipped")
        return
      end
      local got
      if ex.lang == "lua" then
        local path = os.tmpname()
        local f = assert(io.open(path, "wb"))
        f:write(ex.code)
        f:close()
        got = run(ENV .. " lua5.4 " .. path)
        os.remove(path)
      elseif ex.lang == "sh" then
        local cmd = ex.code:match("^%$ ([^\n]+)")
        assert.is_truthy(cmd, "a sh example starts with '$ '")
        got = run(ENV .. " " .. cmd)
      else
        error("unknown example language " .. ex.lang)
      end
      -- CSV output ends its lines in CRLF (RFC 4180); the docs show LF.
      assert.are.equal(ex.out, (got:gsub("\r\n", "\n")))
    end)
  end
end)
end
