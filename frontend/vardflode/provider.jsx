// The Vårdflöde group of the properties panel: for each kind of element, the fields for what the
// engine reads of it (docs/DESIGN_TOOL.md, "Properties"), so that no designer edits XML. It
// replaces the generic timer, message, signal and multi-instance groups, which wrote the same
// elements without the engine's checks.
import { getBusinessObject, is, isAny } from 'bpmn-js/lib/util/ModelUtil';

import {
  CalledProcess, Cardinality, ExpressionText, ExtensionText, Instructions, LaneRole, LoopMaximum, MessageName,
  MessageSource, Note, ScriptBody, ScriptsEachRound, SignalName, TaskForm, TimerType, TimerValue,
  isSelectEntryEdited, isTextAreaEntryEdited, isTextFieldEntryEdited,
} from './entries';
import { eventDefinition, isCatching, messageHolder } from './model';

const LOW_PRIORITY = 500;  // after the generic provider, whose groups we place ours among
const REPLACED = new Set(['timer', 'message', 'signal', 'multiInstance']);
const WITH_SCRIPTS = ['bpmn:Task', 'bpmn:CallActivity', 'bpmn:SubProcess'];  // every activity (SpiffWorkflow)

export default function VardflodePropertiesProvider(propertiesPanel, translate) {
  this.getGroups = function(element) {
    return (groups) => {
      const kept = groups.filter((group) => !REPLACED.has(group.id));
      const entries = entriesFor(element, translate);
      if (entries.length) {
        const at = kept.findIndex((group) => group.id === 'general') + 1;
        kept.splice(at, 0, { id: 'vardflode', label: translate('Vårdflöde'), entries, shouldOpen: true });
      }
      return kept;
    };
  };
  propertiesPanel.registerProvider(LOW_PRIORITY, this);
}

VardflodePropertiesProvider.$inject = ['propertiesPanel', 'translate'];

function entriesFor(element, translate) {
  const entries = [];
  const add = (id, component, isEdited, props = {}) => entries.push({ id, component, isEdited, ...props });
  const businessObject = getBusinessObject(element);

  if (is(element, 'bpmn:Lane')) {
    add('vf-role', LaneRole, isSelectEntryEdited);
  }
  if (is(element, 'bpmn:UserTask')) {
    add('vf-form', TaskForm, isSelectEntryEdited);
  }
  if (isAny(element, ['bpmn:UserTask', 'bpmn:ManualTask'])) {
    add('vf-instructions', Instructions, isTextAreaEntryEdited);
  }
  if (is(element, 'bpmn:ScriptTask')) {
    add('vf-script', ScriptBody, isTextAreaEntryEdited);
  }
  if (is(element, 'bpmn:CallActivity')) {
    add('vf-called-process', CalledProcess, isSelectEntryEdited);
  }
  if (is(element, 'bpmn:SequenceFlow')) {
    sequenceFlow(element, add, translate);
  }
  if (is(element, 'bpmn:Event') || isAny(element, ['bpmn:SendTask', 'bpmn:ReceiveTask'])) {
    events(element, add, translate);
  }
  if (isAny(element, WITH_SCRIPTS)) {
    loops(businessObject.get('loopCharacteristics'), add, translate);
    const self = (el) => getBusinessObject(el);
    add('vf-prescript', ExtensionText, isTextAreaEntryEdited, {
      holder: self, type: 'spiffworkflow:PreScript', kind: 'script', multiline: true, label: translate('Before the step (script)'),
      hint: translate('Runs when the step opens.'),
    });
    add('vf-postscript', ExtensionText, isTextAreaEntryEdited, {
      holder: self, type: 'spiffworkflow:PostScript', kind: 'script', multiline: true, label: translate('After the step (script)'),
      hint: translate('Runs when the step is sent. priority = "high" (or "attention") puts the next step first on the clinician\'s list, e.g. after a risk flag; set it back to "normal" when handled.'),
    });
  }
  return entries;
}

function sequenceFlow(element, add, translate) {
  const flow = getBusinessObject(element);
  const source = flow.sourceRef;
  if (source && source.get('default') === flow) {
    add('vf-default-flow', Note, undefined, { text: translate('The default flow: taken when no other flow\'s condition holds.') });
  } else if (isAny(source, ['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway']) || flow.get('conditionExpression')) {
    add('vf-condition', ExpressionText, isTextFieldEntryEdited, {
      holder: getBusinessObject, property: 'conditionExpression', label: translate('Condition'),
      hint: translate('Taken when this holds, e.g. phq9_total >= 10 or risk_decision == "hanvisa".'),
    });
  }
}

function events(element, add, translate) {
  if (eventDefinition(element, 'bpmn:TimerEventDefinition')) {
    add('vf-timer-type', TimerType, isSelectEntryEdited);
    const definition = eventDefinition(element, 'bpmn:TimerEventDefinition');
    if (['timeDuration', 'timeDate', 'timeCycle'].some((type) => definition.get(type))) {
      add('vf-timer-value', TimerValue, isTextFieldEntryEdited);
    }
  }
  if (messageHolder(element)) {
    message(element, add, translate);
  }
  if (eventDefinition(element, 'bpmn:SignalEventDefinition')) {
    add('vf-signal-name', SignalName, isTextFieldEntryEdited);
  }
  if (eventDefinition(element, 'bpmn:ConditionalEventDefinition')) {
    add('vf-event-condition', ExpressionText, isTextFieldEntryEdited, {
      holder: (el) => eventDefinition(el, 'bpmn:ConditionalEventDefinition'), property: 'condition',
      label: translate('Condition'), hint: translate('The event fires when this holds, checked again after every step.'),
    });
  }
}

function message(element, add, translate) {
  if (isCatching(element)) {
    add('vf-message-source', MessageSource, isSelectEntryEdited);
  }
  add('vf-message-name', MessageName, isTextFieldEntryEdited);
  if (isCatching(element)) {
    add('vf-message-variable', ExtensionText, isTextFieldEntryEdited, {
      holder: messageHolder, type: 'spiffworkflow:MessageVariable', kind: 'name', label: translate('Store what comes as'),
      hint: translate('Optional: a name in the step data for what the message brings (the resident\'s message: the time it was sent).'),
    });
  } else {
    add('vf-message-payload', ExtensionText, isTextFieldEntryEdited, {
      holder: messageHolder, type: 'spiffworkflow:MessagePayload', kind: 'expression', label: translate('Send along'),
      hint: translate('Optional: an expression whose value the waiting event receives.'),
    });
  }
}

function loops(loop, add, translate) {
  if (is(loop, 'bpmn:StandardLoopCharacteristics')) {
    add('vf-loop-maximum', LoopMaximum, isTextFieldEntryEdited);
    add('vf-loop-condition', ExpressionText, isTextFieldEntryEdited, {
      holder: (el) => getBusinessObject(el).get('loopCharacteristics'), property: 'loopCondition',
      label: translate('Repeat while'), hint: translate('Checked after each round; the loop also stops at its maximum.'),
    });
  } else if (is(loop, 'bpmn:MultiInstanceLoopCharacteristics')) {
    add('vf-cardinality', Cardinality, isTextFieldEntryEdited);
    add('vf-completion-condition', ExpressionText, isTextFieldEntryEdited, {
      holder: (el) => getBusinessObject(el).get('loopCharacteristics'), property: 'completionCondition',
      label: translate('Done when'), hint: translate('Optional: the remaining instances are skipped once this holds.'),
    });
  }
  if (loop) {
    add('vf-scripts-each-round', ScriptsEachRound, undefined);
  }
}
