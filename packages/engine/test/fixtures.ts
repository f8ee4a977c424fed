/** Small builders for engine tests. */
import type { Condition, ConditionExpression, Group, Item, Step, TaskSequence } from "@taskseq/model";
import { createStepHandlerRegistry, type StepHandler, type StepHandlerRegistry } from "@taskseq/engine";

export const TEST_TYPE = "Test_Action";

export function step(name: string, extra: Partial<Step> = {}): Step {
  return {
    kind: "step",
    element: "step",
    type: TEST_TYPE,
    name,
    description: "",
    disabled: false,
    continueOnError: false,
    successCodes: [0, 3010],
    runIn: "WinPEandFullOS",
    retryCount: 0,
    runFromNet: false,
    variables: [],
    ...extra,
  };
}

export function group(name: string, children: Item[], extra: Partial<Group> = {}): Group {
  return { kind: "group", name, description: "", disabled: false, continueOnError: false, children, ...extra };
}

export function sequence(items: Item[], extra: Partial<TaskSequence> = {}): TaskSequence {
  return { kind: "sequence", version: "3.10", name: "Test TS", globalVariables: [], references: [], items, ...extra };
}

export function expr(type: string, props: Record<string, string>): ConditionExpression {
  return { kind: "expression", type: `SMS_TaskSequence_${type}`, properties: Object.entries(props).map(([name, value]) => ({ name, value })) };
}

export function varCondition(variable: string, operator: string, value?: string): Condition {
  return { operands: [expr("VariableConditionExpression", { Variable: variable, Operator: operator, ...(value === undefined ? {} : { Value: value }) })] };
}

/** A registry whose Test_Action returns `codes[step name]` (default 0) and records the order. */
export function scripted(codes: Record<string, number> = {}, extra: Record<string, StepHandler> = {}): { handlers: StepHandlerRegistry; ran: string[] } {
  const ran: string[] = [];
  const handlers = createStepHandlerRegistry({
    [TEST_TYPE]: (ctx) => {
      ran.push(ctx.step.name);
      return Promise.resolve({ exitCode: codes[ctx.step.name] ?? 0 });
    },
    ...extra,
  });
  return { handlers, ran };
}
