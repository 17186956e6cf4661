import type { AdviceService, Answer } from '../engine/index.ts';

/** The service calls that compute (advice with what-ifs, risk, sensitivity): run in-process or by a worker. */
export type ComputeTask =
  | { call: 'advice'; args: Parameters<AdviceService['advice']> }
  | { call: 'adviceIn'; args: Parameters<AdviceService['adviceIn']> }
  | { call: 'risk'; args: Parameters<AdviceService['risk']> }
  | { call: 'sensitivity'; args: Parameters<AdviceService['sensitivity']> };

/** The answer of `task` from `service`: the one dispatch the routes (in-process) and the workers share. */
export function answerOf(service: AdviceService, task: ComputeTask): Answer {
  switch (task.call) {
    case 'advice':
      return service.advice(...task.args);
    case 'adviceIn':
      return service.adviceIn(...task.args);
    case 'risk':
      return service.risk(...task.args);
    case 'sensitivity':
      return service.sensitivity(...task.args);
  }
}
