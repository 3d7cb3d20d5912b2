-- Writes the real output of every example into the docs (after a
-- deliberate change of output; review the diff before committing):
--
--   lua5.4 spec/update_docs.lua [FILE ...]     (default: every doc checked)
--
-- spec/readme_spec.lua then checks that the docs show what runs.

package.path = "./?.lua;" .. package.path
local docs = require "spec.helper.docs"
local files = require "spec.helper.files"

for _, file in ipairs(#arg > 0 and arg or docs.FILES) do
  local text = files.read(file)
  local parts, pos, changed = {}, 1, 0
  for _, ex in ipairs(docs.examples(text)) do
    local needs = docs.needs(ex)
    if not needs or io.open(needs) then
      local got = docs.output(ex)
      if got ~= ex.out then
        parts[#parts + 1] = text:sub(pos, ex.out_s - 1)
        parts[#parts + 1] = got
        pos = ex.out_e + 1
        changed = changed + 1
      end
    end
  end
  parts[#parts + 1] = text:sub(pos)
  if changed > 0 then files.write(file, table.concat(parts)) end
  print(("%s: %d example%s updated"):format(file, changed, changed == 1 and "" or "s"))
end
