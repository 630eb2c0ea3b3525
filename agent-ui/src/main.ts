/*
 * The agent's web app: defines every element; index.html mounts <cc-app>. Component tests load
 * this same bundle and mount single elements.
 */
import './components/cc-app.js';
import './components/cc-account-card.js';
import './components/cc-appeal-form.js';
import './components/cc-consultation-form.js';
import './components/cc-contact-log.js';
