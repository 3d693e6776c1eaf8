/** Keys of the record the syslog output's Lua processor builds. */
export const SYSLOG_MESSAGE_KEY = 'message';
export const SYSLOG_SEVERITY_KEY = 'severity';
export const SYSLOG_HOSTNAME_KEY = 'hostname';
export const SYSLOG_LUA_FUNCTION = 'siem_syslog_message';
/**
 * Turns a record into the one the syslog output reads: `message` is the whole
 * record as JSON (keys sorted, so equal records give equal messages),
 * `severity` comes from Falco's `priority` and `hostname` from the pod's node.
 * Lua has no JSON library in Fluent Bit, hence the small encoder.
 */
export const SYSLOG_LUA = `local SEVERITY = { emergency = 0, alert = 1, critical = 2, error = 3, warning = 4, notice = 5, informational = 6, info = 6, debug = 7 }
local ESCAPES = { ['"'] = '\\\\"', ['\\\\'] = '\\\\\\\\', ['\\n'] = '\\\\n', ['\\r'] = '\\\\r', ['\\t'] = '\\\\t' }
local function escape(c) return ESCAPES[c] or string.format('\\\\u%04x', string.byte(c)) end
local function encode(value)
  local kind = type(value)
  if kind == 'string' then return '"' .. string.gsub(value, '[%c"\\\\]', escape) .. '"' end
  if kind == 'boolean' then return tostring(value) end
  if kind == 'number' then
    if value ~= value or value == math.huge or value == -math.huge then return 'null' end
    if value == math.floor(value) and math.abs(value) < 2^53 then return string.format('%d', value) end
    return string.format('%.17g', value)
  end
  if kind ~= 'table' then return 'null' end
  local keys, count = {}, 0
  for k in pairs(value) do count = count + 1; keys[count] = k end
  local parts = {}
  if count > 0 and #value == count then
    for i = 1, count do parts[i] = encode(value[i]) end
    return '[' .. table.concat(parts, ',') .. ']'
  end
  for i = 1, count do keys[i] = tostring(keys[i]) end
  table.sort(keys)
  for i = 1, count do
    local v = value[keys[i]]
    if v == nil then v = value[tonumber(keys[i])] end
    parts[i] = encode(keys[i]) .. ':' .. encode(v)
  end
  return '{' .. table.concat(parts, ',') .. '}'
end
function ${SYSLOG_LUA_FUNCTION}(tag, timestamp, record)
  local out = { ${SYSLOG_MESSAGE_KEY} = encode(record) }
  if type(record.priority) == 'string' then out.${SYSLOG_SEVERITY_KEY} = SEVERITY[string.lower(record.priority)] end
  if type(record.kubernetes) == 'table' and type(record.kubernetes.host) == 'string' then out.${SYSLOG_HOSTNAME_KEY} = record.kubernetes.host end
  return 2, timestamp, out
end
`;
