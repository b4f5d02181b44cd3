export interface ModelProblem {
  elementId: string;
  message: string;
}

/**
 * Collects deployment problems. The same problem found twice (e.g. via a message shared by two events) is
 * kept once, and problems of one element are listed together, as in Zeebe's rejection.
 */
export class Problems {
  private readonly byElement = new Map<string, Set<string>>();

  add(elementId: string, message: string): void {
    let messages = this.byElement.get(elementId);
    if (!messages) this.byElement.set(elementId, (messages = new Set()));
    messages.add(message);
  }

  get list(): ModelProblem[] {
    return [...this.byElement].flatMap(([elementId, messages]) => [...messages].map((message) => ({ elementId, message })));
  }
}
