// The server checks each field as the designer types (the page passes `checkText(kind, text)`,
// which posts to …/uttryck); the engine's sandbox and timer rules are the authority, so nothing is
// re-implemented here. Answers are kept by kind and text, so selecting an element again asks
// nothing twice. `settle()` lets a save wait for typing not yet sent and answers not yet in.
import { debounce } from 'min-dash';

const KEPT = 200;  // answers kept; an old one is asked again if needed
const TYPING_PAUSE = 600;  // ms: one check per pause in typing

export default function Checks(config, eventBus) {
  const checkText = (config && config.checkText) || null;
  const answers = new Map();
  const waiting = new Set();

  this.enabled = !!checkText;

  // A promise of {problems, preview?, iso?, html?} or {failed: true} (null when the page gave no
  // way to ask: nothing is checked then); the same promise for the same question while it is kept.
  this.check = function(kind, text) {
    const key = `${kind}\n${text}`;
    if (answers.has(key)) {
      return answers.get(key);
    }
    if (!checkText) {
      return Promise.resolve(null);
    }
    const answer = Promise.resolve(checkText(kind, text))
      .then((found) => found || { failed: true })
      .catch(() => { answers.delete(key); return { failed: true }; });
    answers.set(key, answer);
    if (answers.size > KEPT) {
      answers.delete(answers.keys().next().value);
    }
    this.track(answer);
    return answer;
  };

  // Something a save must wait for (a check, or the model change made from its answer).
  this.track = function(promise) {
    waiting.add(promise);
    const done = () => waiting.delete(promise);
    promise.then(done, done);
    return promise;
  };

  this.settle = async function() {
    eventBus.fire('vardflode.flushInput');
    while (waiting.size) {
      await Promise.allSettled([...waiting]);
    }
  };
}

Checks.$inject = ['config.vardflode', 'eventBus'];

// The properties panel's input debounce, with every pending input flushed on
// 'vardflode.flushInput' (a save), so what was typed last reaches the model first.
export function TrackedDebounce(eventBus) {
  const pending = new Set();
  eventBus.on('vardflode.flushInput', () => [...pending].forEach((fn) => fn.flush()));
  return function(fn) {
    const debounced = debounce((...args) => { pending.delete(debounced); fn(...args); }, TYPING_PAUSE);
    const call = (...args) => { pending.add(debounced); debounced(...args); };
    call.flush = () => { if (pending.has(debounced)) { debounced.flush(); } };
    call.cancel = () => { pending.delete(debounced); debounced.cancel(); };
    return call;
  };
}

TrackedDebounce.$inject = ['eventBus'];
