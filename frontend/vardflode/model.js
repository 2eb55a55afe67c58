// Reading and writing what the engine reads in a diagram, as commands on the modeler's command
// stack (so every change can be undone): spiffworkflow:* extension elements, formal expressions,
// message and signal names, lane names. Types are those of spiffworkflow.json (our moddle package).
import { getBusinessObject, is, isAny } from 'bpmn-js/lib/util/ModelUtil';

export const FORM_PROPERTY = 'formJsonSchemaFilename';

// One undoable step for several changes (bpmn-js-properties-panel's command).
export function runAll(commandStack, commands) {
  if (commands.length) {
    commandStack.execute('properties-panel.multi-command-executor', commands);
  }
}

export function update(element, moddleElement, properties) {
  return { cmd: 'element.updateModdleProperties', context: { element, moddleElement, properties } };
}

// ---------------------------------------------------------------- extension elements

export function extensions(businessObject, type) {
  const container = businessObject.get('extensionElements');
  return container ? container.get('values').filter((value) => is(value, type)) : [];
}

// Commands that make `businessObject`'s extension of `type` hold `value` in its body (created if
// missing), or remove it when `value` is empty, and the empty extensionElements with it.
export function setExtensionBody(element, businessObject, type, value, bpmnFactory) {
  const existing = extensions(businessObject, type)[0];
  if (existing) {
    return value ? [update(element, existing, { value })] : removeExtension(element, businessObject, existing);
  }
  return value ? addExtension(element, businessObject, bpmnFactory.create(type, { value }), bpmnFactory) : [];
}

export function addExtension(element, businessObject, extension, bpmnFactory) {
  let container = businessObject.get('extensionElements');
  const commands = [];
  if (!container) {
    container = bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    container.$parent = businessObject;
    commands.push(update(element, businessObject, { extensionElements: container }));
  }
  extension.$parent = container;
  commands.push(update(element, container, { values: [...container.get('values'), extension] }));
  return commands;
}

export function removeExtension(element, businessObject, extension) {
  const container = businessObject.get('extensionElements');
  const values = container.get('values').filter((value) => value !== extension);
  return values.length ? [update(element, container, { values })]
    : [update(element, businessObject, { extensionElements: undefined })];
}

// ---------------------------------------------------------------- the user task's form

export function formOf(businessObject) {
  for (const properties of extensions(businessObject, 'spiffworkflow:Properties')) {
    const found = properties.get('properties').find((p) => p.name === FORM_PROPERTY);
    if (found) {
      return { properties, property: found };
    }
  }
  return null;
}

export function setForm(element, value, bpmnFactory) {
  const businessObject = getBusinessObject(element);
  const found = formOf(businessObject);
  if (found && value) {
    return [update(element, found.property, { value })];
  }
  if (found) {
    const rest = found.properties.get('properties').filter((p) => p !== found.property);
    return rest.length ? [update(element, found.properties, { properties: rest })]
      : removeExtension(element, businessObject, found.properties);
  }
  if (!value) {
    return [];
  }
  const property = bpmnFactory.create('spiffworkflow:Property', { name: FORM_PROPERTY, value });
  const holder = extensions(businessObject, 'spiffworkflow:Properties')[0];
  if (holder) {
    property.$parent = holder;
    return [update(element, holder, { properties: [...holder.get('properties'), property] })];
  }
  const properties = bpmnFactory.create('spiffworkflow:Properties', { properties: [property] });
  property.$parent = properties;
  return addExtension(element, businessObject, properties, bpmnFactory);
}

// ---------------------------------------------------------------- formal expressions

// Commands that set `owner[property]` to a bpmn:FormalExpression with `text` (none when empty).
export function setExpression(element, owner, property, text, bpmnFactory) {
  const existing = owner.get(property);
  if (!text) {
    return existing ? [update(element, owner, { [property]: undefined })] : [];
  }
  if (existing) {
    return [update(element, existing, { body: text })];
  }
  const expression = bpmnFactory.create('bpmn:FormalExpression', { body: text });
  expression.$parent = owner;
  return [update(element, owner, { [property]: expression })];
}

export function expressionText(owner, property) {
  const expression = owner && owner.get(property);
  return (expression && expression.get('body')) || '';
}

// ---------------------------------------------------------------- events

export function eventDefinition(element, type) {
  const definitions = getBusinessObject(element).get('eventDefinitions') || [];
  return definitions.find((definition) => is(definition, type));
}

// Where a message is named: the event's messageEventDefinition, or a send/receive task itself.
export function messageHolder(element) {
  if (isAny(element, ['bpmn:SendTask', 'bpmn:ReceiveTask'])) {
    return getBusinessObject(element);
  }
  return is(element, 'bpmn:Event') ? eventDefinition(element, 'bpmn:MessageEventDefinition') : undefined;
}

export function isCatching(element) {
  return isAny(element, ['bpmn:StartEvent', 'bpmn:IntermediateCatchEvent', 'bpmn:BoundaryEvent', 'bpmn:ReceiveTask']);
}

function definitionsOf(businessObject) {
  let node = businessObject;
  while (node.$parent) {
    node = node.$parent;
  }
  return node;
}

// How many elements of the diagram point at `root` through `reference` (themselves or their event
// definitions): a message or signal another element uses too is never renamed under it.
function usersOf(elementRegistry, root, reference) {
  return elementRegistry.filter((shape) => {
    if (shape.labelTarget) {
      return false;
    }
    const businessObject = getBusinessObject(shape);
    return [businessObject].concat(businessObject.get('eventDefinitions') || [])
      .some((holder) => holder.$descriptor.propertiesByName[reference] && holder.get(reference) === root);
  }).length;
}

// Commands that make `holder[reference]` name `name` (a bpmn:Message or bpmn:Signal of the
// diagram): the root element of that name if there is one, else the one it points at renamed when
// nothing else uses it, else a new one. One the holder leaves behind unused is removed.
export function setNamedReference(element, holder, reference, type, name, bpmnFactory, elementRegistry) {
  const current = holder.get(reference);
  if (current && current.name === name) {
    return [];
  }
  const definitions = definitionsOf(holder);
  const roots = definitions.get('rootElements');
  const alone = current && usersOf(elementRegistry, current, reference) <= 1;
  const dropCurrent = alone ? [update(element, definitions, { rootElements: roots.filter((root) => root !== current) })] : [];
  const existing = name && roots.find((root) => is(root, type) && root.name === name);
  if (!name) {
    return current ? [update(element, holder, { [reference]: undefined })].concat(dropCurrent) : [];
  }
  if (existing) {
    return [update(element, holder, { [reference]: existing })].concat(dropCurrent);
  }
  if (alone) {
    return [update(element, current, { name })];
  }
  const made = bpmnFactory.create(type, { name });
  made.$parent = definitions;
  return [update(element, definitions, { rootElements: [...roots, made] }), update(element, holder, { [reference]: made })];
}

export function processesOf(element) {
  const definitions = definitionsOf(getBusinessObject(element));
  return definitions.get('rootElements').filter((root) => is(root, 'bpmn:Process'));
}

export function ownProcess(element) {
  let node = getBusinessObject(element);
  while (node && !is(node, 'bpmn:Process')) {
    node = is(node, 'bpmn:Participant') ? node.processRef : node.$parent;
  }
  return node;
}
