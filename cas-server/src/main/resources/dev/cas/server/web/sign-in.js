// <cas-sign-in notice="…">: username and password; a wrong pair says so and stays on the form.
import {signIn} from './api.js';
import {errorBox, h, replace} from './dom.js';

class CasSignIn extends HTMLElement {
  connectedCallback() {
    const user = h('input', {id: 'username', name: 'username', autocomplete: 'username', required: true});
    const pass = h('input', {id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true});
    const problem = h('div', {class: 'problem'});
    const form = h('form', {class: 'sign-in card', id: 'sign-in-form'},
      h('h1', {}, 'Sign in'),
      this.getAttribute('notice') ? h('p', {class: 'notice', id: 'notice'}, this.getAttribute('notice')) : null,
      h('label', {for: 'username'}, 'Username'), user,
      h('label', {for: 'password'}, 'Password'), pass,
      problem,
      h('button', {type: 'submit', id: 'sign-in'}, 'Sign in'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      replace(problem);
      try {
        const session = await signIn(user.value, pass.value);
        pass.value = '';
        this.dispatchEvent(new CustomEvent('signed-in', {detail: session, bubbles: true}));
      } catch (err) {
        replace(problem, errorBox(err, 'Not signed in'));
      }
    });
    replace(this, form);
    user.focus();
  }
}

customElements.define('cas-sign-in', CasSignIn);
