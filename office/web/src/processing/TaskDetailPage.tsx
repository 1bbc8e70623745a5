// One of the caller's tasks: the incoming document as the incoming list shows
// it, read through the task (its attachments too), the holder's steps (start,
// finish, no action needed, forward within the department), the comments and
// the working files.
import { Space } from 'antd';
import { getTask, taskAttachmentUrl, type Assignment } from '../api';
import DocumentFrame, { useDocument } from '../incoming/DocumentFrame';
import DocumentView from '../incoming/DocumentView';
import RecallNotice from '../incoming/RecallNotice';
import AssignmentCard from './AssignmentCard';
import CommentThread from './CommentThread';
import ForwardAction from './ForwardAction';
import TaskActions from './TaskActions';
import TaskFiles from './TaskFiles';

interface Props {
  id: number;
  /** The signed-in user: only the main handler starts and finishes the work. */
  username: string;
  /** The department the signed-in user heads, or null: its head passes its tasks on. */
  headOf: string | null;
  onBack: () => void;
  onSessionLost: () => void;
}

export default function TaskDetailPage({ id, username, headOf, onBack, onSessionLost }: Props) {
  const { load, setDocument, reload } = useDocument(getTask, id, onSessionLost);

  return (
    <DocumentFrame
      title="Văn bản được giao xử lý"
      load={load}
      onBack={onBack}
      onRetry={reload}
      actions={(task) => {
        const assignment = task.assignment;
        const isMain = assignment.main_handler?.username === username;
        const holds =
          isMain || (headOf !== null && assignment.main_department?.name === headOf);
        // The answer is the assignment alone; the statuses owed (05, 06) come with a reload.
        const changed = (next: Assignment) => {
          setDocument({ ...task, assignment: next });
          reload();
        };
        return (
          <Space wrap>
            {isMain && (
              <TaskActions
                documentId={task.id}
                state={assignment.state}
                onChanged={changed}
                onStale={reload}
                onSessionLost={onSessionLost}
              />
            )}
            {holds && assignment.state !== 'done' && (
              <ForwardAction
                documentId={task.id}
                onForwarded={changed}
                onStale={reload}
                onSessionLost={onSessionLost}
              />
            )}
          </Space>
        );
      }}
    >
      {(task) => (
        <>
          {task.recall !== null && (
            <RecallNotice
              recall={task.recall}
              documentId={task.id}
              canAnswer={false}
              onChanged={reload}
              onStale={reload}
              onSessionLost={onSessionLost}
            />
          )}
          <DocumentView
          document={task}
          urlOf={taskAttachmentUrl}
          processing={
            <>
              <AssignmentCard assignment={task.assignment} />
              <CommentThread
                key={task.assignment.state}
                documentId={task.id}
                closed={task.assignment.state === 'done'}
                onSessionLost={onSessionLost}
              />
              <TaskFiles
                key={`files-${task.assignment.state}`}
                documentId={task.id}
                closed={task.assignment.state === 'done'}
                onSessionLost={onSessionLost}
              />
            </>
          }
          />
        </>
      )}
    </DocumentFrame>
  );
}
