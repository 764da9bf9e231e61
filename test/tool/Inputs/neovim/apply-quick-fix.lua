-- The editor's side of test/tool/lsp-neovim.test, run with `-c 'luafile ...'`
-- once the file is loaded (and trainlint attached by init.lua). It waits for
-- trainlint's diagnostics, asks for the code actions at the finding of the
-- check TRAINLINT_FIX_CHECK, applies the preferred quick fix as Neovim's
-- code-action menu would, waits until the server no longer reports that
-- finding, writes the file and quits. What it saw goes to
-- TRAINLINT_NVIM_REPORT for the test to check. The exit status is 0 only when
-- every step happened; a step that fails or times out says why in the report
-- and exits with 1, so that a headless Neovim never waits forever.

local report = assert(io.open(assert(vim.env.TRAINLINT_NVIM_REPORT), 'w'))
local check = assert(vim.env.TRAINLINT_FIX_CHECK)
-- The first analysis of a libtorch file is a full parse, which a busy
-- machine can stretch to minutes.
local timeout_ms = tonumber(vim.env.TRAINLINT_NVIM_TIMEOUT_MS or '600000')
local bufnr = vim.api.nvim_get_current_buf()

local function say(format, ...)
  report:write(string.format(format, ...), '\n')
  report:flush()
end

local function diagnostics_of(code)
  return vim.tbl_filter(function(d)
    return d.source == 'trainlint' and (code == nil or d.code == code)
  end, vim.diagnostic.get(bufnr))
end

local function run()
  if not vim.wait(timeout_ms, function()
    return #diagnostics_of() > 0
  end, 100) then
    error('no diagnostics from trainlint within ' .. timeout_ms .. ' ms')
  end
  local all = diagnostics_of()
  table.sort(all, function(a, b)
    return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
  end)
  for _, d in ipairs(all) do
    say('diagnostic %d:%d %s %s: %s', d.lnum + 1, d.col + 1,
      vim.diagnostic.severity[d.severity], d.code, d.message)
    -- What the client keeps of the LSP diagnostic: the check's page and
    -- the notes.
    local lsp = d.user_data and d.user_data.lsp or {}
    if lsp.codeDescription then
      say('  href %s', lsp.codeDescription.href)
    end
    for _, related in ipairs(lsp.relatedInformation or {}) do
      say('  related %d:%d %s', related.location.range.start.line + 1,
        related.location.range.start.character + 1, related.message)
    end
  end

  local target = diagnostics_of(check)[1]
  if not target then
    error('no diagnostic of ' .. check)
  end
  -- The diagnostic as the server sent it (with its relatedInformation), as
  -- vim.lsp.buf.code_action() passes it in the request's context.
  local lsp_diagnostic
  for _, d in ipairs(vim.lsp.diagnostic.get_line_diagnostics(bufnr, target.lnum)) do
    if d.code == check then
      lsp_diagnostic = d
    end
  end
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = lsp_diagnostic.range,
    context = { diagnostics = { lsp_diagnostic } },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction',
    params, timeout_ms)
  local chosen
  for _, response in pairs(responses or {}) do
    if response.err then
      error('textDocument/codeAction: ' .. vim.inspect(response.err))
    end
    for _, action in ipairs(response.result or {}) do
      say('action %s%s: %s', action.kind or 'none',
        action.isPreferred and ' preferred' or '', action.title)
      if action.isPreferred and action.kind == 'quickfix' and not chosen then
        chosen = action
      end
    end
  end
  if not chosen then
    error('no preferred quick fix for ' .. check)
  end
  vim.lsp.util.apply_workspace_edit(chosen.edit, 'utf-16')
  say('applied: %s', chosen.title)

  -- The edit reaches the server as a didChange; its next analysis must no
  -- longer see the finding it fixed.
  if not vim.wait(timeout_ms, function()
    return #diagnostics_of(check) == 0
  end, 100) then
    error('the finding of ' .. check .. ' is still reported after the fix')
  end
  say('cleared: %s, %d diagnostics left', check, #diagnostics_of())
  vim.cmd('write')
  say('written')
end

local ok, problem = pcall(run)
if not ok then
  say('error: %s', problem)
  report:close()
  vim.cmd('cquit 1')
end
report:close()
vim.cmd('qall!')
