-- The editor's side of scripts/neovim-screenshot.sh, run with
-- `-c 'luafile ...'` in a Neovim under tmux: once trainlint's diagnostics are
-- in, it puts the cursor on the finding of TRAINLINT_FIX_CHECK and opens the
-- code-action menu, as a user pressing the key bound to
-- vim.lsp.buf.code_action() would. The menu waits for a choice; the script
-- captures the screen meanwhile. TRAINLINT_SCREENSHOT_STATE names a file that
-- says what happened: "menu" once the menu is asked for, or "error: ...".
-- Polling on a timer, not vim.wait(), lets the screen redraw while waiting.

local state_file = assert(vim.env.TRAINLINT_SCREENSHOT_STATE)
local check = assert(vim.env.TRAINLINT_FIX_CHECK)
local timeout_ms = tonumber(vim.env.TRAINLINT_NVIM_TIMEOUT_MS or '600000')
local bufnr = vim.api.nvim_get_current_buf()
local started = vim.loop.now()

-- The default colour scheme paints the sign column grey; without it the
-- signs stand out.
vim.cmd('highlight SignColumn ctermbg=NONE guibg=NONE')

local function set_state(text)
  local file = assert(io.open(state_file, 'w'))
  file:write(text, '\n')
  file:close()
end

local function finding()
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == 'trainlint' and d.code == check then
      return d
    end
  end
end

local function poll()
  local target = finding()
  if not target then
    if vim.loop.now() - started > timeout_ms then
      set_state('error: no diagnostic of ' .. check .. ' within ' .. timeout_ms .. ' ms')
      return
    end
    vim.defer_fn(poll, 200)
    return
  end
  vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col })
  -- The training loop below the finding in view, the finding near the top.
  vim.cmd('normal! zt3\25')
  vim.cmd('redraw')
  set_state('menu')
  vim.lsp.buf.code_action()
end

vim.defer_fn(poll, 200)
