-- A small Chrome DevTools Protocol client for the HTML specs: Chromium
-- started headless with --remote-debugging-pipe reads commands on its file
-- descriptor 3 and writes answers on 4, each a JSON text ending in NUL;
-- here they are two named pipes.  No port, no WebSocket, nothing beyond
-- Debian's chromium, dkjson and coreutils.
--
--   local cdp = require "spec.helper.cdp"
--   local browser = assert(cdp.start(chromium_path))
--   local page = browser:page{ width = 400, height = 900, dark = true }
--   page:open("/tmp/x/page.html")
--   local v = page:eval("document.title")     -- a JSON-able value
--   page:screenshot("/tmp/x/page.png")        -- the whole page
--   browser:close()
--
-- Every wait is bounded: Chromium runs under `timeout`, so a hung browser
-- ends and the read sees the end of the pipe.

local json = require "dkjson"
local V = require "spec.lua_version"

local M = {}

M.FLAGS = "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
  .. "--disable-background-networking --disable-component-update --disable-sync"

-- seconds the browser may live
M.LIFETIME = 300

local function sh(cmd)
  local p = assert(V.popen(cmd))
  local out = p:read("*a")
  p:close()
  return (out:gsub("%s+$", ""))
end

--- The path of a Chromium (chromium, chromium-browser or google-chrome), or nil.
function M.find()
  for _, name in ipairs { "chromium", "chromium-browser", "google-chrome" } do
    local out = sh("command -v " .. name .. " 2>/dev/null")
    if out ~= "" then return out end
  end
  return nil
end

local OBJECT = { __jsontype = "object" }

local Browser = {}
Browser.__index = Browser

--- Starts chromium (a path) with an empty profile in a new directory.
function M.start(chromium)
  local dir = sh("mktemp -d")
  if dir == "" then return nil, "mktemp failed" end
  if sh(("mkfifo '%s/in' '%s/out' && echo ok"):format(dir, dir)) ~= "ok" then
    return nil, "mkfifo failed"
  end
  -- The background job first lets go of the pipe we read its pid from
  -- (exec >log), then blocks opening 3<in, then 4>out; we open them in that
  -- order.  (Redirections on the command itself would hold our pipe while
  -- the first of them blocks.)
  local pid = sh(("(exec >'%s/log' 2>&1 </dev/null; exec timeout %d '%s' %s "
                  .. "--user-data-dir='%s/profile' --remote-debugging-pipe 3<'%s/in' 4>'%s/out') "
                  .. "& echo $!"):format(dir, M.LIFETIME, chromium, M.FLAGS, dir, dir, dir))
  local w = assert(io.open(dir .. "/in", "w"))
  local r = assert(io.open(dir .. "/out", "r"))
  w:setvbuf("no")
  return setmetatable({ dir = dir, pid = pid, w = w, r = r, id = 0 }, Browser)
end

-- The next message, or nil at the end of the pipe.
function Browser:recv()
  local buf = {}
  while true do
    local c = self.r:read(1)
    if c == nil then return nil end
    if c == "\0" then break end
    buf[#buf + 1] = c
  end
  return json.decode(table.concat(buf))
end

--- Sends method with params (to session, when given) and returns the
-- result; raises with the protocol's message on an error.
function Browser:send(method, params, session)
  self.id = self.id + 1
  local msg = { id = self.id, method = method, params = setmetatable(params or {}, OBJECT),
                sessionId = session }
  self.w:write(json.encode(msg), "\0")
  while true do
    local m = self:recv()
    if m == nil then
      error(("chromium ended before answering %s (log: %s)"):format(method,
            sh("tail -c 600 '" .. self.dir .. "/log'")), 2)
    end
    if m.id == self.id then
      if m.error then error(method .. ": " .. tostring(m.error.message), 2) end
      return m.result
    end
  end
end

local Page = {}
Page.__index = Page

--- A new tab of width x height CSS pixels (scale 1); dark = true makes
-- prefers-color-scheme match dark.
function Browser:page(o)
  local t = self:send("Target.createTarget", { url = "about:blank" })
  local s = self:send("Target.attachToTarget", { targetId = t.targetId, flatten = true }).sessionId
  local page = setmetatable({ browser = self, session = s }, Page)
  page:send("Emulation.setDeviceMetricsOverride", { width = o.width, height = o.height or 900,
    deviceScaleFactor = 1, mobile = false })
  page:send("Emulation.setEmulatedMedia", { features = {
    { name = "prefers-color-scheme", value = o.dark and "dark" or "light" } } })
  return page
end

function Page:send(method, params)
  return self.browser:send(method, params, self.session)
end

--- The value of the JavaScript expression (promises awaited).
function Page:eval(expr)
  local r = self:send("Runtime.evaluate", { expression = expr, returnByValue = true,
                                            awaitPromise = true })
  if r.exceptionDetails then
    error("javascript: " .. json.encode(r.exceptionDetails), 2)
  end
  return r.result.value
end

--- Loads path (a file) and waits until it and its fonts are ready.
function Page:open(path)
  self:send("Page.navigate", { url = "file://" .. path })
  for _ = 1, 500 do
    if self:eval("document.readyState") == "complete" then break end
    V.execute("sleep 0.02")
  end
  self:eval("document.fonts.ready.then(function () { return true; })")
end

local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

local function unbase64(s)
  local val = {}
  for i = 1, 64 do val[B64:byte(i)] = i - 1 end
  local out = {}
  s = s:gsub("[^%w%+/]", "")
  for i = 1, #s, 4 do
    local a, b, c, d = val[s:byte(i)], val[s:byte(i + 1) or 0], val[s:byte(i + 2) or 0],
                       val[s:byte(i + 3) or 0]
    local n = (a or 0) * 262144 + (b or 0) * 4096 + (c or 0) * 64 + (d or 0)
    local bytes = string.char(math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
    out[#out + 1] = bytes:sub(1, (c and 2 or 1) + (d and 1 or 0))
  end
  return table.concat(out)
end

--- Writes a PNG of the page to path: the whole page, or from y (CSS
-- pixels) at most height high.
function Page:screenshot(path, y, height)
  local m = self:send("Page.getLayoutMetrics")
  local size = m.cssContentSize or m.contentSize
  y = math.min(y or 0, size.height - 1)
  local r = self:send("Page.captureScreenshot", { format = "png", captureBeyondViewport = true,
    clip = { x = 0, y = y, width = size.width,
             height = math.min(height or size.height, size.height - y), scale = 1 } })
  local f = assert(io.open(path, "wb"))
  f:write(unbase64(r.data))
  f:close()
end

--- Closes the browser, waits for it to end and removes its directory.
function Browser:close()
  pcall(self.send, self, "Browser.close")
  while self.r:read(1) do end -- until chromium closes its end
  self.r:close()
  self.w:close()
  -- (chromium has closed the pipe; its `timeout` ends with it: wait a
  -- little for that, and stop it only if it is still there)
  if self.pid:match("^%d+$") then
    V.execute(("i=0; while [ $i -lt 50 ] && kill -0 %s 2>/dev/null; do sleep 0.1; "
               .. "i=$((i+1)); done; kill %s 2>/dev/null"):format(self.pid, self.pid))
  end
  V.execute("rm -rf '" .. self.dir .. "'")
end

return M
