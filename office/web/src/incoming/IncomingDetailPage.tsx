import { Space } from 'antd';
import { attachmentUrl, getIncoming } from '../api';
import AssignAction from '../processing/AssignAction';
import AssignmentCard from '../processing/AssignmentCard';
import CommentThread from '../processing/CommentThread';
import TaskFiles from '../processing/TaskFiles';
import DocumentFrame, { useDocument } from './DocumentFrame';
import DocumentView from './DocumentView';
import IncomingActions from './IncomingActions';
import RecallNotice from './RecallNotice';

interface Props {
  id: number;
  /** The clerk's "Vào sổ", "Trả lại" and answer to a recall (decide_incoming). */
  canAct: boolean;
  /** The leader's "Giao xử lý" (assign_incoming). */
  canAssign: boolean;
  /** Ý kiến xử lý (discuss_tasks): shown when the leader takes part in the assignment. */
  canDiscuss: boolean;
  onBack: () => void;
  onSessionLost: () => void;
}

export default function IncomingDetailPage({
  id,
  canAct,
  canAssign,
  canDiscuss,
  onBack,
  onSessionLost,
}: Props) {
  const { load, setDocument, reload } = useDocument(getIncoming, id, onSessionLost);

  return (
    <DocumentFrame
      title="Chi tiết văn bản đến"
      load={load}
      onBack={onBack}
      onRetry={reload}
      actions={(document) => (
        <Space wrap>
          {canAct && document.state === 'new' && document.recall_state !== 'accepted' && (
            <IncomingActions
              document={document}
              onChanged={setDocument}
              onStale={reload}
              onSessionLost={onSessionLost}
            />
          )}
          {canAssign &&
            document.state === 'registered' &&
            document.recall_state !== 'accepted' &&
            document.assignment === null && (
            <AssignAction
              documentId={document.id}
              onAssigned={(assignment) => {
                setDocument({ ...document, assignment });
                // The answer is the assignment alone; the status owed (04) comes with a reload.
                reload();
              }}
              onStale={reload}
              onSessionLost={onSessionLost}
            />
          )}
        </Space>
      )}
    >
      {(document) => (
        <>
          {document.recall !== null && (
            <RecallNotice
              recall={document.recall}
              documentId={document.id}
              canAnswer={canAct}
              onChanged={setDocument}
              onStale={reload}
              onSessionLost={onSessionLost}
            />
          )}
          <DocumentView
          document={document}
          urlOf={attachmentUrl}
          processing={
            document.assignment !== null || document.state === 'registered' ? (
              <>
                <AssignmentCard assignment={document.assignment} />
                {canDiscuss && document.assignment !== null && (
                  <>
                    <CommentThread
                      documentId={document.id}
                      closed={document.assignment.state === 'done'}
                      onSessionLost={onSessionLost}
                    />
                    <TaskFiles
                      documentId={document.id}
                      closed={document.assignment.state === 'done'}
                      onSessionLost={onSessionLost}
                    />
                  </>
                )}
              </>
            ) : undefined
          }
          />
        </>
      )}
    </DocumentFrame>
  );
}
