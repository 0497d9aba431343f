// <cas-import-view>: pick or drop a package → upload with a progress bar → the host's dry run
// (POST /api/plugins/import?dryRun=true, which changes nothing) shown as a preview → confirm
// (the real import) or cancel. A refused package shows its reason code and message and nothing
// changes.
import {upload} from './api.js';
import {badge, bytes, errorBox, h, replace} from './dom.js';

const RISK_KIND = {NONE: 'ok', LOW: 'info', MEDIUM: 'warn', HIGH: 'bad', CRITICAL: 'bad'};

function section(title, id, ...content) {
  return h('section', {class: 'preview-section', id}, h('h3', {}, title), ...content);
}

function list(items, empty, cls) {
  return items && items.length
    ? h('ul', {class: cls}, items.map((i) => h('li', {}, i)))
    : h('p', {class: 'muted'}, empty);
}

function dl(pairs) {
  return h('dl', {}, pairs.filter(([, v]) => v !== undefined).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '—')]));
}

/** The signer verdict of a dry run: trusted, untrusted (signed, not verified) or unsigned. */
export function signerVerdict(sig) {
  if (sig.trusted) return 'trusted';
  return sig.signed ? 'untrusted' : 'unsigned';
}

function diff(name, d) {
  if (!d || (!d.added.length && !d.removed.length)) return h('li', {}, `${name}: no change`);
  return h('li', {},
    `${name}: `,
    d.added.map((a) => h('span', {class: 'added'}, `+ ${a} `)),
    d.removed.map((r) => h('span', {class: 'removed'}, `− ${r} `)));
}

function renderPreview(p) {
  const sig = p.signature;
  const verdict = signerVerdict(sig);
  const sb = p.sandbox ?? {};
  const outcome = {
    install: `Install ${p.plugin.name} ${p.plugin.version}`,
    upgrade: `Upgrade ${p.plugin.name} from ${p.installedVersion} to ${p.plugin.version}`,
    unchanged: `${p.plugin.name} ${p.plugin.version} is installed already: nothing would change`,
    downgrade: `Downgrade ${p.plugin.name} from ${p.installedVersion} to ${p.plugin.version}`,
  }[p.outcome] ?? p.outcome;
  return h('div', {class: 'preview', id: 'preview', dataset: {outcome: p.outcome}},
    h('h2', {id: 'preview-outcome'}, outcome),
    h('p', {class: 'muted'}, 'Dry run: nothing has changed yet.'),
    h('div', {class: 'preview-grid'},
    section('Manifest', 'preview-manifest', dl([
      ['Id', h('code', {}, p.plugin.id)], ['Name', p.plugin.name], ['Version', p.plugin.version],
      ['Description', p.plugin.description], ['Author', p.plugin.author], ['License', p.plugin.license],
      ['Kind', p.plugin.isSystem ? 'system plugin (cannot be uninstalled)' : 'application plugin']])),
    section('Requested permissions', 'preview-permissions', list(p.permissions, 'No permission requested.', 'permissions')),
    section('Sandbox', 'preview-sandbox', sb.declared === false
      ? h('p', {}, 'No sandbox section in the manifest: no network host and no file access declared.')
      : dl([
        ['Network', sb.networkPolicy ?? 'none'],
        ['Allowed hosts', (sb.allowedHosts ?? []).length ? sb.allowedHosts.join(', ') : 'none'],
        ['File access', sb.filesystemAccess ?? 'none'],
        ['CPU budget', sb.cpuLimit], ['Memory budget', sb.memoryLimit]])),
    section('Signer', 'preview-signer',
      h('p', {}, badge(verdict, verdict === 'trusted' ? 'ok' : verdict === 'untrusted' ? 'warn' : 'muted'), ' ',
        sig.keyId ? `signed by key ${sig.keyId}` : sig.signed ? 'signed, but the signature was not checked' : 'no signature',
        ` (host policy: ${sig.policy.toLowerCase()})`)),
    section('Security scan', 'preview-scan',
      h('p', {}, 'Highest risk in the plugin\'s own code: ', badge(p.scan.maxRisk, RISK_KIND[p.scan.maxRisk] ?? 'muted'),
        ` — findings in the ${p.scan.libraries} bundled librar${p.scan.libraries === 1 ? 'y' : 'ies'} are advisory`),
      h('ul', {class: 'counts'}, Object.entries(p.scan.counts).map(([level, n]) => h('li', {dataset: {level}}, `${level}: ${n}`))),
      p.scan.findings.length
        ? h('details', {open: p.scan.findings.some((f) => f.ownCode)},
          h('summary', {}, `${p.scan.findings.length} finding${p.scan.findings.length === 1 ? '' : 's'}`),
          h('table', {class: 'findings'},
            h('thead', {}, h('tr', {}, ['Level', 'Category', 'Where', 'Detail'].map((t) => h('th', {}, t)))),
            h('tbody', {}, p.scan.findings.map((f) => h('tr', {},
              h('td', {}, badge(f.risk, RISK_KIND[f.risk] ?? 'muted')), h('td', {}, f.category),
              h('td', {}, h('code', {}, f.location), f.ownCode ? '' : ' (library)'), h('td', {}, f.detail))))))
        : h('p', {class: 'muted'}, 'No finding.')),
    section('Database', 'preview-database', dl([
      ['Tables', (p.database.tables ?? []).join(', ') || 'none'],
      ['Migrations that would run', list(p.database.pendingMigrations, 'none', 'migrations')],
      ['Migrations already applied', (p.database.appliedMigrations ?? []).join(', ') || 'none']])),
    section('Dependencies', 'preview-dependencies', p.dependencies.length
      ? h('ul', {}, p.dependencies.map((d) => {
        const ok = d.satisfied ?? (d.platform || d.activeVersion != null);
        return h('li', {}, h('code', {}, d.id), ` ${d.range} — `,
          badge(ok ? 'satisfied' : 'missing', ok ? 'ok' : 'bad'),
          d.activeVersion ? ` (active: ${d.activeVersion})` : '');
      }))
      : h('p', {class: 'muted'}, 'None.')),
    section('Pages in the admin page', 'preview-pages', (p.pages ?? []).length
      ? h('ul', {}, p.pages.map((g) => h('li', {}, h('strong', {}, g.title), ' at ', h('code', {}, g.path),
        ' — ', h('code', {}, g.module ?? g.component), ', in a sandboxed frame; shown to ', g.roles.join(', '))))
      : h('p', {class: 'muted'}, 'None: the plugin adds no page.')),
    p.changes ? section('Changes from the installed version', 'preview-changes', h('ul', {},
      p.changes.version ? h('li', {}, `Version: ${p.changes.version.from} → ${p.changes.version.to}`) : null,
      diff('Permissions', p.changes.permissions), diff('Tables', p.changes.tables),
      diff('Allowed hosts', p.changes.allowedHosts), diff('File access', p.changes.filesystemAccess),
      p.changes.migrations ? diff('Migrations', p.changes.migrations) : null,
      p.changes.configKeys ? diff('Configuration keys', p.changes.configKeys) : null)) : null,
    p.warnings?.length ? section('Warnings', 'preview-warnings', list(p.warnings, '')) : null),
    h('details', {}, h('summary', {}, 'Checks'),
      h('p', {}, 'Run by the dry run: ', p.checks.join(', '), '.'),
      h('p', {}, 'Run only by the import: ', p.notChecked.join(', '), '.')));
}

class CasImportView extends HTMLElement {
  connectedCallback() {
    this.input = h('input', {type: 'file', id: 'package-file', accept: '.zip,application/zip'});
    this.input.addEventListener('change', () => this.input.files[0] && this.choose(this.input.files[0]));
    const drop = h('label', {class: 'drop-zone', id: 'drop-zone', for: 'package-file'},
      h('strong', {}, 'Drop a plugin package (.zip) here'), h('span', {}, ' or choose a file: '), this.input);
    for (const type of ['dragenter', 'dragover']) {
      drop.addEventListener(type, (e) => { e.preventDefault(); drop.classList.add('over'); });
    }
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      const file = e.dataTransfer.files[0];
      if (file) this.choose(file);
    });
    this.progress = h('progress', {id: 'upload-progress', max: 1, value: 0, hidden: true});
    this.status = h('p', {id: 'upload-status', class: 'muted'});
    this.result = h('div', {id: 'import-result'});
    replace(this, h('h1', {}, 'Import or upgrade a plugin'), drop, this.progress, this.status, this.result);
  }

  async send(query, label) {
    this.progress.hidden = false;
    this.progress.value = 0;
    this.status.textContent = `${label} ${this.file.name} (${bytes(this.file.size)})…`;
    try {
      return await upload(`/api/plugins/import${query}`, this.file, (f) => {
        this.progress.value = f;
        if (f >= 1) this.status.textContent = `${label}: uploaded; the host is checking ${this.file.name}…`;
      });
    } finally {
      this.progress.hidden = true;
    }
  }

  async choose(file) {
    this.file = file;
    replace(this.result);
    try {
      const env = await this.send('?dryRun=true&upgrade=true', 'Uploading');
      this.status.textContent = env.message;
      this.showPreview(env.data);
    } catch (e) {
      this.refused(e);
    }
  }

  refused(e) {
    this.status.textContent = '';
    replace(this.result, h('div', {id: 'import-refused'},
      errorBox(e, `The package ${this.file.name} is refused`),
      h('p', {}, 'Nothing was changed.'),
      h('a', {href: '#/plugins', class: 'button secondary'}, 'Back to the plugins')));
  }

  showPreview(preview) {
    const confirm = h('button', {type: 'button', id: 'confirm-import', disabled: preview.outcome === 'unchanged'},
      preview.outcome === 'upgrade' ? 'Confirm upgrade' : 'Confirm import');
    const cancel = h('button', {type: 'button', id: 'cancel-import', class: 'secondary'}, 'Cancel');
    cancel.addEventListener('click', () => {
      replace(this.result, h('p', {id: 'import-cancelled'}, 'Cancelled: nothing was changed.'));
      this.status.textContent = '';
      this.input.value = '';
    });
    confirm.addEventListener('click', async () => {
      confirm.disabled = cancel.disabled = true;
      try {
        const env = await this.send(preview.outcome === 'upgrade' ? '?upgrade=true' : '', 'Importing');
        this.status.textContent = '';
        const d = env.data;
        replace(this.result, h('div', {class: 'done', id: 'import-done', dataset: {pluginId: d.id}},
          h('p', {}, env.message, ' — state ', badge(d.state, d.state === 'active' ? 'ok' : 'warn')),
          (d.warnings ?? []).length ? list(d.warnings, '') : null,
          h('a', {href: `#/plugins/${encodeURIComponent(d.id)}`, class: 'button', id: 'open-plugin'}, `Open ${d.name}`),
          ' ',
          h('a', {href: '#/plugins', class: 'button secondary'}, 'All plugins')));
        // Its pages (frontend.routes) join the navigation now, not at the next periodic look.
        this.dispatchEvent(new CustomEvent('plugins-changed', {bubbles: true}));
      } catch (e) {
        this.refused(e);
      }
    });
    replace(this.result, renderPreview(preview), h('div', {class: 'actions'}, confirm, ' ', cancel));
  }
}

customElements.define('cas-import-view', CasImportView);
