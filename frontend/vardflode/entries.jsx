// The fields of the Vårdflöde properties group. Every text the engine evaluates is checked by the
// server as it is typed (checks.js) and shows the engine's words under the field; expression and
// script fields list the helpers an expression may call. Model changes go through model.js.
import { useEffect, useRef, useState } from '@bpmn-io/properties-panel/preact/hooks';
import {
  CheckboxEntry, SelectEntry, TextAreaEntry, TextFieldEntry,
  isSelectEntryEdited, isTextAreaEntryEdited, isTextFieldEntryEdited,
} from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';

import {
  eventDefinition, expressionText, extensions, formOf, isCatching, messageHolder, ownProcess, processesOf,
  runAll, setExpression, setExtensionBody, setForm, setNamedReference, update,
} from './model';

export { isSelectEntryEdited, isTextAreaEntryEdited, isTextFieldEntryEdited };

const ACTION_NAME = /^[a-z0-9_]{1,60}$/;
const TIMER_KINDS = { timeDuration: 'duration', timeDate: 'date', timeCycle: 'cycle' };

function useConfig() {
  return useService('config.vardflode') || {};
}

function useCommands() {
  const commandStack = useService('commandStack');
  return (commands) => runAll(commandStack, commands);
}

// The server's answer for (kind, text), kept while the text stays; null for an empty text.
function useCheck(kind, text) {
  const checks = useService('vardflodeChecks');
  const [answer, setAnswer] = useState(null);
  useEffect(() => {
    let live = true;
    if (!text || !text.trim()) {
      setAnswer(null);
      return undefined;
    }
    checks.check(kind, text).then((found) => { if (live && found) { setAnswer({ ...found, kind, text }); } });
    return () => { live = false; };
  }, [kind, text]);
  return answer && answer.kind === kind && answer.text === text ? answer : null;
}

// ---------------------------------------------------------------- shared pieces

function Problems({ answer, ok }) {
  const translate = useService('translate');
  if (!answer) {
    return null;
  }
  if (answer.failed) {
    return <p class="vf-problem">{translate('The field could not be checked just now.')}</p>;
  }
  if (answer.problems && answer.problems.length) {
    return answer.problems.map((problem) => (
      <p class="vf-problem"><span class="vf-mark" aria-hidden="true">!</span> {translate('Problem: {text}', { text: problem })}</p>));
  }
  return ok ? <p class="vf-ok">{ok}</p> : null;
}

function HelperList() {
  const translate = useService('translate');
  const helpers = useConfig().helpers || [];
  if (!helpers.length) {
    return null;
  }
  return (
    <details class="vf-helpers">
      <summary>{translate('Helpers an expression may call ({count})', { count: helpers.length })}</summary>
      <ul>{helpers.map((helper) => <li><code>{helper.call}</code> – {helper.text}</li>)}</ul>
    </details>);
}

function Feedback({ answer, ok, hint, helpers, children }) {
  return (
    <div class="vf-feedback">
      {hint ? <p class="vf-hint">{hint}</p> : null}
      <div class="vf-answer" aria-live="polite"><Problems answer={answer} ok={ok} />{children}</div>
      {helpers ? <HelperList /> : null}
    </div>);
}

// A text the engine evaluates (kind 'expression' or 'script'), written to the model as typed.
export function CheckedText(props) {
  const { element, id, label, kind, multiline, hint, getValue, setValue } = props;
  const translate = useService('translate');
  const debounce = useService('debounceInput');
  const answer = useCheck(kind, getValue(element) || '');
  const ok = kind === 'script' ? translate('The script follows the rules.') : translate('The expression follows the rules.');
  const description = <Feedback answer={answer} ok={ok} hint={hint} helpers />;
  const Entry = multiline ? TextAreaEntry : TextFieldEntry;
  return <Entry element={element} id={id} label={label} getValue={getValue} setValue={setValue} debounce={debounce}
    rows={multiline ? 4 : undefined} monospace={multiline} description={description} />;
}

// A text of an extension element (pre-/post-script, message payload or variable) on `holder`.
export function ExtensionText(props) {
  const { element, holder, type } = props;
  const bpmnFactory = useService('bpmnFactory');
  const run = useCommands();
  const owner = holder(element);
  const getValue = () => {
    const found = extensions(owner, type)[0];
    return (found && found.value) || '';
  };
  const setValue = (value) => run(setExtensionBody(element, owner, type, value || '', bpmnFactory));
  return props.kind === 'name' ? <NameText {...props} getValue={getValue} setValue={setValue} />
    : <CheckedText {...props} getValue={getValue} setValue={setValue} />;
}

// A name of the task data (a message's variable): a variable name that is not a helper's.
function NameText(props) {
  const { element, id, label, hint, getValue, setValue } = props;
  const debounce = useService('debounceInput');
  const answer = useCheck('name', getValue(element) || '');
  return <TextFieldEntry element={element} id={id} label={label} getValue={getValue} setValue={setValue}
    debounce={debounce} description={<Feedback answer={answer} hint={hint} />} />;
}

// A formal expression `property` of the object `holder(element)` (a condition, a loop condition).
export function ExpressionText(props) {
  const { element, holder, property } = props;
  const bpmnFactory = useService('bpmnFactory');
  const run = useCommands();
  const getValue = () => expressionText(holder(element), property);
  const setValue = (value) => run(setExpression(element, holder(element), property, value || '', bpmnFactory));
  return <CheckedText {...props} kind="expression" getValue={getValue} setValue={setValue} />;
}

export function Note({ id, text }) {
  return <div class="bio-properties-panel-entry vf-note" data-entry-id={id}><p>{text}</p></div>;
}

// ---------------------------------------------------------------- lanes

function roleOf(name, roles) {
  const wanted = (name || '').split(/\s+/).filter(Boolean).join(' ').toLowerCase();
  return wanted ? roles.find((role) => role.id === wanted || role.name.toLowerCase() === wanted) : undefined;
}

export function LaneRole({ element, id }) {
  const translate = useService('translate');
  const modeling = useService('modeling');
  const roles = useConfig().roles || [];
  const name = getBusinessObject(element).name || '';
  const role = roleOf(name, roles);
  const options = [{ value: '', label: translate('<choose a role>') }]
    .concat(roles.map((r) => ({ value: r.id, label: `${r.label} (${r.id})` })));
  const setValue = (value) => {
    const chosen = roles.find((r) => r.id === value);
    if (chosen) {
      modeling.updateLabel(element, chosen.name);
    }
  };
  const description = role ? translate("The lane's name is its role: only people with that role do its steps.")
    : name ? translate("The lane's name '{name}' names no role: choose one.", { name })
      : translate('Choose the role whose people do the steps in this lane.');
  return <SelectEntry element={element} id={id} label={translate('Role')} getValue={() => (role ? role.id : '')}
    setValue={setValue} getOptions={() => options} description={description} />;
}

// ---------------------------------------------------------------- user tasks

export function TaskForm({ element, id }) {
  const translate = useService('translate');
  const bpmnFactory = useService('bpmnFactory');
  const run = useCommands();
  const config = useConfig();
  const forms = config.forms || [];
  const found = formOf(getBusinessObject(element));
  const current = found ? found.property.value || '' : '';
  const own = forms.filter((f) => !f.library).map((f) => ({ value: f.value, label: f.path }));
  const library = forms.filter((f) => f.library).map((f) => ({ value: f.value, label: f.value }));
  const options = [{ value: '', label: translate('<no form>') }];
  if (current && !forms.some((f) => f.value === current)) {
    options.push({ value: current, label: translate('{name} (missing in the program)', { name: current }) });
  }
  if (own.length) {
    options.push({ label: translate("The program's forms"), children: own });
  }
  if (library.length) {
    options.push({ label: translate('Instrument library'), children: library });
  }
  options.push({ value: '__new_form', label: translate('New form… (comes with the form editor)'), disabled: !config.new_form_url });
  const setValue = (value) => {
    if (value === '__new_form') {
      if (config.new_form_url) {
        window.location.assign(config.new_form_url);
      }
      return;
    }
    run(setForm(element, value, bpmnFactory));
  };
  return <SelectEntry element={element} id={id} label={translate('Form')} getValue={() => current}
    setValue={setValue} getOptions={() => options}
    description={translate('What the person fills in at this step.')} />;
}

export function Instructions({ element, id }) {
  const translate = useService('translate');
  const bpmnFactory = useService('bpmnFactory');
  const debounce = useService('debounceInput');
  const run = useCommands();
  const type = 'spiffworkflow:InstructionsForEndUser';
  const getValue = () => {
    const found = extensions(getBusinessObject(element), type)[0];
    return (found && found.value) || '';
  };
  const setValue = (value) => run(setExtensionBody(element, getBusinessObject(element), type, value || '', bpmnFactory));
  const answer = useCheck('instructions', getValue());
  const preview = answer && answer.html ? (
    <div class="vf-preview">
      <p class="vf-preview-title">{translate('Preview')}</p>
      <div class="vf-preview-body" dangerouslySetInnerHTML={{ __html: answer.html }} />
    </div>) : null;
  const hint = translate('Markdown: # heading, **bold**, *emphasis*, - list, [text](https://…); {{ name }} shows a value of the step\'s data.');
  return <TextAreaEntry element={element} id={id} label={translate('Instructions')} getValue={getValue}
    setValue={setValue} debounce={debounce} rows={6} autoResize
    description={<Feedback answer={answer} hint={hint}>{preview}</Feedback>} />;
}

// ---------------------------------------------------------------- script tasks

export function ScriptBody({ element, id }) {
  const translate = useService('translate');
  const modeling = useService('modeling');
  const getValue = () => getBusinessObject(element).get('script') || '';
  const setValue = (value) => modeling.updateProperties(element, { script: value || undefined });
  return <CheckedText element={element} id={id} kind="script" multiline label={translate('Script')}
    hint={translate('One line per value: name = expression (or +=, -=, *=).')} getValue={getValue} setValue={setValue} />;
}

// ---------------------------------------------------------------- timers

export function TimerType({ element, id }) {
  const translate = useService('translate');
  const bpmnFactory = useService('bpmnFactory');
  const run = useCommands();
  const definition = eventDefinition(element, 'bpmn:TimerEventDefinition');
  const current = Object.keys(TIMER_KINDS).find((type) => definition.get(type)) || '';
  const setValue = (value) => {
    if (!value || value === current) {
      return;
    }
    const expression = bpmnFactory.create('bpmn:FormalExpression', {});
    expression.$parent = definition;
    run([update(element, definition, { timeDuration: undefined, timeDate: undefined, timeCycle: undefined, [value]: expression })]);
  };
  const options = [{ value: 'timeDuration', label: translate('Duration') }, { value: 'timeDate', label: translate('Date') },
    { value: 'timeCycle', label: translate('Cycle') }];
  if (!current) {
    options.unshift({ value: '', label: translate('<none>') });
  }
  return <SelectEntry element={element} id={id} label={translate('Timer type')} getValue={() => current}
    setValue={setValue} getOptions={() => options} />;
}

const TIMER_HINTS = {
  timeDuration: "How long to wait: '7 dagar', '2 veckor', '36 timmar', '7 days' or ISO 8601 (P7D).",
  timeDate: 'When: ISO 8601 with a UTC offset, e.g. 2027-01-10T09:00:00+01:00.',
  timeCycle: 'How often and how many times: ISO 8601, e.g. R4/P1W (4 times, a week apart).',
};
const TIMER_PREVIEWS = {
  timeDuration: 'Waits {time} ({iso}).',
  timeDate: 'Fires {time}, Swedish time ({iso}).',
  timeCycle: 'Fires {time} ({iso}).',
};

// The timer's value as the designer writes it (words or ISO); what the model gets is the server's
// ISO text, written when the answer comes, so the saved diagram always holds what the engine reads.
export function TimerValue({ element, id }) {
  const translate = useService('translate');
  const bpmnFactory = useService('bpmnFactory');
  const checks = useService('vardflodeChecks');
  const debounce = useService('debounceInput');
  const run = useCommands();
  const definition = eventDefinition(element, 'bpmn:TimerEventDefinition');
  const type = Object.keys(TIMER_KINDS).find((t) => definition.get(t));
  const kind = TIMER_KINDS[type];
  const stored = expressionText(definition, type);
  const [typed, setTyped] = useState(null);
  const latest = useRef(null);
  const text = typed && typed.element === element && typed.type === type ? typed.text : stored;
  const answer = useCheck(kind, text);

  const write = (value) => {
    const expression = definition.get(type);
    if (expressionText(definition, type) !== value) {
      run(expression ? [update(element, expression, { body: value || undefined })]
        : setExpression(element, definition, type, value, bpmnFactory));
    }
  };
  const setValue = (value) => {
    const next = value || '';
    latest.current = { element, type, text: next };
    setTyped(latest.current);
    if (!next.trim()) {
      write('');
      return;
    }
    checks.track(checks.check(kind, next).then((found) => {
      const still = latest.current && latest.current.element === element && latest.current.text === next;
      if (still && !(found && found.failed)) {
        write((found && found.iso) || next.trim());  // unchecked (no server): as typed
      }
    }));
  };
  let preview = null;
  if (answer && !answer.failed && !(answer.problems || []).length) {
    preview = answer.preview ? translate(TIMER_PREVIEWS[type], { time: answer.preview, iso: answer.iso })
      : translate('An expression: the time is worked out when the timer starts.');
  }
  const hint = translate(TIMER_HINTS[type]) + (is(element, 'bpmn:BoundaryEvent')
    ? ' ' + translate("On a clinician's step an interrupting timer is the step's deadline; a non-interrupting one is a reminder.") : '');
  const description = (
    <Feedback answer={answer} hint={hint} helpers>{preview ? <p class="vf-preview-line">{preview}</p> : null}</Feedback>);
  return <TextFieldEntry element={element} id={id} label={translate('When')} getValue={() => text}
    setValue={setValue} debounce={debounce} description={description} />;
}

// ---------------------------------------------------------------- messages and signals

function actionName(text) {
  const plain = (text || '').toLowerCase().replace(/[åä]/g, 'a').replace(/ö/g, 'o').replace(/[^a-z0-9_]+/g, '_');
  return plain.replace(/^_+|_+$/g, '').slice(0, 60) || 'atgard';
}

function messageName(element) {
  const holder = messageHolder(element);
  const message = holder && holder.get('messageRef');
  return (message && message.name) || '';
}

export function MessageSource({ element, id }) {
  const translate = useService('translate');
  const bpmnFactory = useService('bpmnFactory');
  const elementRegistry = useService('elementRegistry');
  const run = useCommands();
  const platform = useConfig().platform_messages || {};
  const name = messageName(element);
  const current = !name ? '' : name === platform.resident ? 'resident'
    : name.startsWith(platform.action_prefix) ? 'action' : 'program';
  const options = [
    { value: 'resident', label: translate("The resident's message ({name})", { name: platform.resident }) },
    { value: 'action', label: translate("A clinician's button ({name})", { name: `${platform.action_prefix}…` }) },
    { value: 'program', label: translate('A message this program throws') },
  ];
  if (!current) {
    options.unshift({ value: '', label: translate('<choose>') });
  }
  const names = {
    resident: () => platform.resident,
    action: () => platform.action_prefix + actionName(getBusinessObject(element).name),
    program: () => '',
  };
  const setValue = (value) => {
    if (value && value !== current) {
      run(setNamedReference(element, messageHolder(element), 'messageRef', 'bpmn:Message', names[value](), bpmnFactory,
        elementRegistry));
    }
  };
  const descriptions = {
    resident: translate('Goes on when the resident writes to the unit (or the timer beside it fires).'),
    action: translate("The program page shows a button, labelled with this event's name, while the program waits here."),
    program: translate('Goes on when a message throw event, end event or send task of this program throws the name.'),
  };
  return <SelectEntry element={element} id={id} label={translate('Waits for')} getValue={() => current}
    setValue={setValue} getOptions={() => options} description={descriptions[current]} />;
}

export function MessageName({ element, id }) {
  const translate = useService('translate');
  const bpmnFactory = useService('bpmnFactory');
  const elementRegistry = useService('elementRegistry');
  const debounce = useService('debounceInput');
  const run = useCommands();
  const platform = useConfig().platform_messages || {};
  const name = messageName(element);
  const isAction = isCatching(element) && platform.action_prefix && name.startsWith(platform.action_prefix);
  const getValue = () => (isAction ? name.slice(platform.action_prefix.length) : name);
  const setValue = (value) => run(setNamedReference(element, messageHolder(element), 'messageRef', 'bpmn:Message',
    value ? (isAction ? platform.action_prefix : '') + value : '', bpmnFactory, elementRegistry));
  const validate = (value) => (isAction && !ACTION_NAME.test(value || '')
    ? translate('Use lower-case letters a–z, digits and _ (at most 60).') : null);
  return <TextFieldEntry element={element} id={id} debounce={debounce} getValue={getValue} setValue={setValue}
    validate={validate} label={isAction ? translate('Action name') : translate('Message name')}
    description={isAction ? translate('The message is {name}.', { name: name || platform.action_prefix }) : undefined} />;
}

export function SignalName({ element, id }) {
  const translate = useService('translate');
  const bpmnFactory = useService('bpmnFactory');
  const elementRegistry = useService('elementRegistry');
  const debounce = useService('debounceInput');
  const run = useCommands();
  const definition = eventDefinition(element, 'bpmn:SignalEventDefinition');
  const signal = definition.get('signalRef');
  const setValue = (value) => run(setNamedReference(element, definition, 'signalRef', 'bpmn:Signal', value || '',
    bpmnFactory, elementRegistry));
  const description = isCatching(element)
    ? translate('Thrown by a signal throw or end event of this program: nothing outside the program sends signals.')
    : translate('Every event of this program waiting for this name goes on.');
  return <TextFieldEntry element={element} id={id} debounce={debounce} label={translate('Signal name')}
    getValue={() => (signal && signal.name) || ''} setValue={setValue} description={description} />;
}

// ---------------------------------------------------------------- call activities

export function CalledProcess({ element, id }) {
  const translate = useService('translate');
  const modeling = useService('modeling');
  const config = useConfig();
  const own = ownProcess(element);
  const here = processesOf(element).filter((p) => p !== own).map((p) => ({ id: p.id, name: p.name || '', file: '' }));
  const choices = here.concat((config.processes || []).filter((p) => !here.some((h) => h.id === p.id)));
  const current = getBusinessObject(element).get('calledElement') || '';
  const options = [{ value: '', label: translate('<choose a process>') }]
    .concat(choices.map((p) => ({ value: p.id, label: `${p.name || p.id} (${p.id}${p.file ? ', ' + p.file : ''})` })));
  if (current && !choices.some((p) => p.id === current)) {
    options.push({ value: current, label: translate('{name} (missing in the program)', { name: current }) });
  }
  return <SelectEntry element={element} id={id} label={translate('Called process')} getValue={() => current}
    setValue={(value) => modeling.updateProperties(element, { calledElement: value || undefined })}
    getOptions={() => options} description={translate('A process of this program; its data comes back when it ends.')} />;
}

// ---------------------------------------------------------------- loops

function whole(text, low, high) {
  const number = Number(text);
  return /^\d+$/.test(String(text || '').trim()) && number >= low && number <= high;
}

export function LoopMaximum({ element, id }) {
  const translate = useService('translate');
  const debounce = useService('debounceInput');
  const run = useCommands();
  const loop = getBusinessObject(element).get('loopCharacteristics');
  const getValue = () => (loop.get('loopMaximum') === undefined ? '' : String(loop.get('loopMaximum')));
  const setValue = (value) => run([update(element, loop, { loopMaximum: whole(value, 1, 1000) ? Number(value) : undefined })]);
  return <TextFieldEntry element={element} id={id} debounce={debounce} label={translate('At most (rounds)')}
    getValue={getValue} setValue={setValue}
    validate={(value) => (whole(value, 1, 1000) ? null : translate('A whole number from 1 to 1000.'))} />;
}

export function Cardinality({ element, id }) {
  const translate = useService('translate');
  const bpmnFactory = useService('bpmnFactory');
  const debounce = useService('debounceInput');
  const run = useCommands();
  const loop = getBusinessObject(element).get('loopCharacteristics');
  return <TextFieldEntry element={element} id={id} debounce={debounce} label={translate('Number of instances')}
    getValue={() => expressionText(loop, 'loopCardinality')}
    setValue={(value) => run(setExpression(element, loop, 'loopCardinality', value || '', bpmnFactory))}
    validate={(value) => (!value || whole(value, 1, 500) ? null : translate('A whole number from 1 to 500.'))} />;
}

export function ScriptsEachRound({ element, id }) {
  const translate = useService('translate');
  const run = useCommands();
  const loop = getBusinessObject(element).get('loopCharacteristics');
  return <CheckboxEntry element={element} id={id} label={translate("Run the step's scripts every round")}
    getValue={() => loop.get('scriptsOnInstances') !== false}
    setValue={(value) => run([update(element, loop, { scriptsOnInstances: !!value })])}
    description={translate('Off: the pre- and post-script run once, after the last round.')} />;
}
