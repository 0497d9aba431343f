// The CAS web components: import '/ui/components/index.js' defines all of them; each module also
// works alone. See docs/ui-components.md and the gallery at /ui/gallery.
export {CasButton} from './button.js';
export {CasInput} from './input.js';
export {CasSelect} from './select.js';
export {CasModal} from './modal.js';
export {CasToast, toast} from './toast.js';
export {CasTable} from './table.js';
export {CasSchemaForm} from './schema-form.js';
