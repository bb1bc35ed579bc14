-- wrk script: POST a new comment to the article given in wrk's URL
-- (http://HOST:PORT/posts/SLUG/comments), a different text on every request so the
-- duplicate check (same text from the same email or name: 409) never fires. Answers 303
-- (comment stored) are counted: BENCH_RESULT gets "accepted":N.
--
-- Nothing is fetched at run time. bench/run.sh scrapes the form token from the article page
-- once with curl and passes it in the environment:
--   BENCH_FORM_TOKEN  the form's hidden `form_token` value (HTML entities already decoded)
--   BENCH_RUN_ID      optional; makes the texts unique across runs on the same database
--   BENCH_LUA_DIR     optional; where report.lua is (default: this script's directory)

local token = os.getenv("BENCH_FORM_TOKEN")
if token == nil or token == "" then
   error("BENCH_FORM_TOKEN is not set (the article page's hidden form_token value)")
end
local run_id = os.getenv("BENCH_RUN_ID") or tostring(os.time())

local here = (debug.getinfo(1, "S").source:match("^@(.*/)")) or "./"
dofile((os.getenv("BENCH_LUA_DIR") or here) .. "/report.lua")

local function urlencode(s)
   return (s:gsub("[^%w%-%._~]", function(c)
      if c == " " then return "+" end
      return string.format("%%%02X", string.byte(c))
   end))
end

local phrases = {
   "Thanks for this, very useful.",
   "I tried this and it worked for me as well.",
   "Interesting point about the procedure; I had not heard that before.",
   "Could you say more about the recovery time?",
   "Great write-up, sharing it with a friend.",
   "My experience was a little different, but I agree overall.",
}

-- Runs in the main Lua state, once per wrk thread, before the threads start.
local thread_count = 0
local threads = {}
function setup(thread)
   thread_count = thread_count + 1
   thread:set("thread_id", thread_count)
   threads[thread_count] = thread
end

-- Runs in the main state after the run (called by report.lua's done()).
function bench_extra()
   local n = 0
   for _, t in ipairs(threads) do
      n = n + (t:get("accepted") or 0)
   end
   return string.format(',"accepted":%d', n)
end

-- Below runs in each thread's own Lua state (thread_id was set above).
local encoded_token = urlencode(token)
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local counter = 0
accepted = 0 -- global: read by bench_extra() through thread:get()

function response(status)
   if status == 303 then
      accepted = accepted + 1
   end
end

function request()
   counter = counter + 1
   local id = thread_id or 0
   local text = string.format("%s (bench %s, thread %d, comment %d)",
      phrases[counter % #phrases + 1], run_id, id, counter)
   local body = "author=" .. urlencode(string.format("Bench Reader %d", id))
      .. "&email=" .. urlencode(string.format("reader%d-%d@example.org", id, counter % 100))
      .. "&url=&comment=" .. urlencode(text)
      .. "&comment_parent=0&form_token=" .. encoded_token
      .. "&marginalia_hp="
   return wrk.format("POST", nil, headers, body)
end
