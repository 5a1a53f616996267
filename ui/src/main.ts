import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { startupMarks } from './features/library/app.svelte';

startupMarks.script = performance.now();

const app = mount(App, { target: document.getElementById('app')! });
export default app;
