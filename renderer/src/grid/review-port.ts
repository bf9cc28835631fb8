import type { ExceptionStatus } from '../../../core/exceptions/model.ts';
import type { ApprovalAction, ApprovalEventDoc, AgreementVersionDoc, AuditEventDoc, CommentDoc, ExceptionDoc, SettlementRunDoc, StatementDoc } from '../../../core/sync/documents.ts';
import type { EXCEPTION_EDITABLE_FIELDS } from '../../../core/sync/merge.ts';
import type { AuditVerdict } from '../../../core/sync/audit-chain.ts';
import type { AgreementVersion } from '../../../core/settlement/agreement.ts';
import type { CanonicalTransaction } from '../../../core/transactions/schema.ts';

/**
 * What the review screens need of the desk database (renderer/desk/desk.ts), as a narrow port:
 * the desk's Desk satisfies it structurally, and screen logic can be exercised against any other
 * implementation of it. Streams are anything with subscribe(next) (RxDB's rxjs Observables).
 */
export interface Stream<T> {
  subscribe(next: (value: T) => void): { unsubscribe(): void };
}

export interface ReviewDesk {
  readonly userId: string;
  readonly exceptions$: Stream<ExceptionDoc[]>;
  assignException(id: string, assignee: string | null, reason?: string | null): Promise<ExceptionDoc>;
  transitionException(id: string, input: { readonly to: ExceptionStatus; readonly reason?: string | null }): Promise<ExceptionDoc>;
  resolveExceptionConflict(id: string, field: (typeof EXCEPTION_EDITABLE_FIELDS)[number], value: unknown): Promise<ExceptionDoc>;
  addComment(subject: CommentDoc['subject'], text: string): Promise<CommentDoc>;
  comments$(subject: CommentDoc['subject']): Stream<CommentDoc[]>;
  commentsStartingWith$(kind: CommentDoc['subject']['kind'], prefix: string): Stream<CommentDoc[]>;
  loadTransactions(filter: { readonly period: { readonly start: string; readonly end: string } } | 'all'): Promise<CanonicalTransaction[]>;
  addAgreementVersion(agreement: AgreementVersion): Promise<AgreementVersionDoc>;
  readonly agreementVersions$: Stream<AgreementVersionDoc[]>;
  storeSettlementRun(run: Omit<SettlementRunDoc, 'createdBy' | 'createdAt' | 'statementIds'>, statements: ReadonlyArray<Omit<StatementDoc, 'createdBy' | 'createdAt' | 'runId'>>): Promise<{ run: SettlementRunDoc; statements: StatementDoc[] }>;
  readonly settlementRuns$: Stream<SettlementRunDoc[]>;
  statements$(runId?: string): Stream<StatementDoc[]>;
  recordApproval(statementId: string, action: ApprovalAction, reason?: string | null): Promise<ApprovalEventDoc>;
  approvals$(statementId: string): Stream<ApprovalEventDoc[]>;
  auditTrail(): Promise<AuditEventDoc[]>;
  verifyAudit(): Promise<AuditVerdict>;
}
