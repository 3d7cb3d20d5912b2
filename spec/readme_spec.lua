-- Output shown in the README and docs/ is real output: every ```lua block
-- that is followed by a ```text block is run with lua5.4 from the
-- checkout, and its output must equal the text block.  Shell examples of
-- the CLI (```sh blocks whose first line is "$ bin/siqun ..." followed by
-- a ```text block) too.  After a deliberate change of output,
-- `lua5.4 spec/update_docs.lua` writes the new output in (review the diff).

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua (siqun.compat)

local read = require("spec.helper.files").read
local docs = require "spec.helper.docs"
local run = docs.run
local ENV = docs.ENV

for _, file in ipairs(docs.FILES) do
describe(file, function()
  local doc = read(file)
  local list = docs.examples(doc)

  it("has runnable examples", function()
    -- (reports.md: one for each report and format)
    assert.is_true(#list >= (file == "docs/reports.md" and 14 or 3))
  end)

  if file == "README.md" then it("shows the real beginning of the summary", function()
    local shown = doc:match("The%s+summary begins:%s*```text\n(.-)```")
    assert.is_truthy(shown)
    local got = run(ENV .. " lua5.4 bin/siqun summary")
    assert.are.equal(shown, got:sub(1, #shown))
  end) end

  for i, ex in ipairs(list) do
    it(("example %d (%s) prints what the README shows"):format(i, ex.lang), function()
      local needs = docs.needs(ex)
      if needs and not io.open(needs) then
        pending("source text not found at " .. needs .. ": skipped")
        return
      end
      assert.are.equal(ex.out, docs.output(ex))
    end)
  end
end)
end
