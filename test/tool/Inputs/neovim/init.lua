-- Neovim 0.7's built-in LSP client started on `trainlint lsp` for C++ and CUDA
-- buffers, as docs/editors.md sets it up. The editor test
-- (test/tool/lsp-neovim.test) and the screenshot (scripts/neovim-screenshot.sh)
-- load it with `nvim -u`. The environment says what differs from a user's
-- set-up:
--   TRAINLINT                the trainlint executable (default: from PATH)
--   TRAINLINT_BUILD_DIR      the folder of compile_commands.json
--                            (default: the server looks upward from each file)
--   TRAINLINT_LSP_LOG        the server's log file (default: Neovim's LSP log)

vim.cmd('filetype on')
vim.cmd('syntax on')
vim.o.swapfile = false
vim.o.shadafile = 'NONE'
vim.o.signcolumn = 'yes'

local trainlint = vim.env.TRAINLINT or 'trainlint'

-- One server per project, the project being the folder of the nearest
-- compile_commands.json (or the file's own folder).
local clients = {}

local function project_root(file)
  local dir = vim.fn.fnamemodify(file, ':p:h')
  local database = vim.fn.findfile('compile_commands.json', dir .. ';')
  if database ~= '' then
    return vim.fn.fnamemodify(database, ':p:h')
  end
  return dir
end

local function attach_trainlint(args)
  local file = vim.api.nvim_buf_get_name(args.buf)
  if file == '' then
    return
  end
  local root = project_root(file)
  if not clients[root] then
    local cmd = { trainlint, 'lsp' }
    if vim.env.TRAINLINT_LSP_LOG then
      vim.list_extend(cmd, { '--log-file', vim.env.TRAINLINT_LSP_LOG })
    end
    clients[root] = vim.lsp.start_client({
      name = 'trainlint',
      cmd = cmd,
      root_dir = root,
      init_options = {
        trainlint = {
          level = '1',
          compilationDatabasePath = vim.env.TRAINLINT_BUILD_DIR,
        },
      },
    })
  end
  vim.lsp.buf_attach_client(args.buf, clients[root])
end

vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'cpp', 'cuda' },
  callback = attach_trainlint,
})
